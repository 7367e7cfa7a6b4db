import type { Catalogue } from '../../platform/i18n/i18n.ts';

export const operationsMessages: Catalogue = {
  ko: {
    'status.title': '서비스 상태',
    'status.allGood': '모든 서비스가 정상 운영 중입니다.',
    'status.degraded': '일부 서비스에 문제가 있습니다. 복구 중입니다.',
    'status.database': '데이터베이스',
    'status.migrations': '데이터 구조 최신화',
    'status.jobs': '알림·메일 발송 대기',
    'status.failedJobs': '발송 실패(24시간)',
    'status.version': '버전',
    'status.ok': '정상',
    'status.problem': '문제 있음',
    'status.count': '{count}건',
  },
  en: {
    'status.title': 'Service status',
    'status.allGood': 'All services are running normally.',
    'status.degraded': 'Some services have a problem. We are working on it.',
    'status.database': 'Database',
    'status.migrations': 'Data structure up to date',
    'status.jobs': 'Notifications and e-mail waiting to go',
    'status.failedJobs': 'Failed to send (24 hours)',
    'status.version': 'Version',
    'status.ok': 'Normal',
    'status.problem': 'Problem',
    'status.count': '{count}',
  },
};
