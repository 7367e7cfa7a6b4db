import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, deadlineOf, isWorkingDay, localDay, workingDaysBetween } from './working-days.ts';

const holidays = new Set(['2026-09-24', '2026-09-25', '2026-10-05', '2026-10-09']);
const seoul = 'Asia/Seoul';
const at = (iso: string) => new Date(iso);

test('weekends and public holidays are not working days', () => {
  assert.equal(isWorkingDay('2026-09-23', holidays), true); // Wednesday
  assert.equal(isWorkingDay('2026-09-24', holidays), false); // Chuseok holiday
  assert.equal(isWorkingDay('2026-09-26', holidays), false); // Saturday
  assert.equal(isWorkingDay('2026-09-27', holidays), false); // Sunday
});

test('a period counts from the day after receipt and skips weekends and holidays', () => {
  // Received Wednesday 23 September: Thursday and Friday are Chuseok, then the weekend.
  assert.equal(addWorkingDays('2026-09-23', 1, holidays), '2026-09-28');
  assert.equal(addWorkingDays('2026-09-23', 5, holidays), '2026-10-02');
  // Monday 5 October is a substitute holiday.
  assert.equal(addWorkingDays('2026-09-23', 6, holidays), '2026-10-06');
  assert.equal(addWorkingDays('2026-09-26', 0, holidays), '2026-09-28');
});

test('working days between two days count the second and not the first', () => {
  assert.equal(workingDaysBetween('2026-09-21', '2026-09-28', holidays), 3); // Tue, Wed, (Thu, Fri holidays, weekend), Mon
  assert.equal(workingDaysBetween('2026-09-28', '2026-09-21', holidays), -3);
  assert.equal(workingDaysBetween('2026-09-28', '2026-09-28', holidays), 0);
});

test('the day of an instant is the day in the deployment zone, not in UTC', () => {
  // 23:30 UTC on the 1st is 08:30 on the 2nd in Seoul.
  assert.equal(localDay(at('2026-12-01T23:30:00Z'), seoul), '2026-12-02');
});

test('the day of an instant is right minute by minute across midnights and changes of offset, in zones with odd offsets', () => {
  const zones = ['Asia/Seoul', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
  // 2026-04-05 ends daylight saving in Lord Howe and Chatham; 2026-11-01 ends it in New York.
  for (const start of ['2026-04-04T00:00:00Z', '2026-10-31T12:00:00Z']) {
    for (const timeZone of zones) {
      const reference = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (let minute = 0; minute < 2 * 24 * 60; minute += 1) {
        const instant = new Date(at(start).getTime() + minute * 60_000 + 59_999 * (minute % 2));
        assert.equal(localDay(instant, timeZone), reference.format(instant), `${timeZone} ${instant.toISOString()}`);
      }
    }
  }
});

test('time waiting for a supplement moves the deadline by the working days it took', () => {
  const submitted = { action: 'submit', recordedAt: at('2026-11-02T01:00:00Z') }; // Monday
  assert.deepEqual(deadlineOf([submitted], 3, holidays, seoul), { due: '2026-11-05', paused: false, pausedDays: 0 });
  const asked = { action: 'request-supplement', recordedAt: at('2026-11-03T01:00:00Z') }; // Tuesday
  assert.deepEqual(deadlineOf([submitted, asked], 3, holidays, seoul), { due: null, paused: true, pausedDays: 0 });
  const resubmitted = { action: 'resubmit', recordedAt: at('2026-11-09T01:00:00Z') }; // the next Monday: Wed–Fri and Mon stood still
  assert.deepEqual(deadlineOf([submitted, asked, resubmitted], 3, holidays, seoul), { due: '2026-11-11', paused: false, pausedDays: 4 });
});

test('an application not yet submitted has no deadline', () => {
  assert.deepEqual(deadlineOf([], 10, holidays, seoul), { due: null, paused: false, pausedDays: 0 });
});
