import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '../../../../libs/auth/src/token.js';

/** Rebuilds replace every tenant's read model: the admin role only. */
export function requireAdmin(principal: Principal): void {
  if (!principal.roles.includes('admin')) throw new ForbiddenException('The admin role is required for this action');
}
