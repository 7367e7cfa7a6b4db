/** What a certificate's status changes mean; pure. */
export type CertificateStatus = 'valid' | 'suspended' | 'revoked' | 'expired';
export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

/** The status changes in the order they were recorded; revocation is final. */
export function statusOf(changes: ReadonlyArray<{ action: StatusAction }>, validUntil: Date, now: Date): CertificateStatus {
  let status: 'valid' | 'suspended' | 'revoked' = 'valid';
  for (const { action } of changes) {
    if (status === 'revoked') break;
    status = action === 'revoke' ? 'revoked' : action === 'suspend' ? 'suspended' : 'valid';
  }
  if (status === 'valid' && validUntil.getTime() <= now.getTime()) return 'expired';
  return status;
}

const allowed: Record<CertificateStatus, StatusAction[]> = {
  valid: ['suspend', 'revoke'],
  suspended: ['reinstate', 'revoke'],
  revoked: [],
  // An expired certificate can still be revoked: a verifier holding an old copy should learn it was withdrawn.
  expired: ['revoke'],
};

export const allowedStatusActions = (status: CertificateStatus): StatusAction[] => allowed[status];
