/** Rule violations of the job domain; the API maps them to status codes (404 / 409). */
export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} not found`);
    this.name = 'JobNotFoundError';
  }
}

export class JobRuleViolation extends Error {
  constructor(readonly jobId: string, readonly rule: string, message: string) {
    super(message);
    this.name = 'JobRuleViolation';
  }
}
