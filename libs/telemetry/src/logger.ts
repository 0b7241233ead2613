/**
 * One JSON logger per process (pino): Nest's logger, Fastify's request logger and every
 * `console` line of the libraries (they take `console` as their logger) all write through
 * it, so each line on stdout is one JSON object. Lines about a request are written with
 * Fastify's request logger (`request.log`), a child carrying its `requestId`: an
 * AsyncLocalStorage scope would add it to any line, but costs every promise of every request.
 */
import { format } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import type { LogLevel } from './telemetry-config.js';

export type { Logger } from 'pino';

export function createLogger(service: 'api' | 'worker', nodeId: string, level: LogLevel): Logger {
  return pino({
    level,
    base: { service, nodeId },
    timestamp: stdTimeFunctions.isoTime,
  });
}

/** The libraries' `console.log/info/warn/error/debug` lines become log lines of `logger`. */
export function routeConsoleTo(logger: Logger): void {
  console.log = (...args: unknown[]) => logger.info(format(...args));
  console.info = (...args: unknown[]) => logger.info(format(...args));
  console.warn = (...args: unknown[]) => logger.warn(format(...args));
  console.error = (...args: unknown[]) => logger.error(format(...args));
  console.debug = (...args: unknown[]) => logger.debug(format(...args));
}

/** Nest's framework logger on top of pino (Nest names the class or context that logs). */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's own info lines (modules initialised, routes mapped) are start-up chatter: debug. */
  log(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest passes the context last, and for errors the stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else this.logger[level](fields, typeof message === 'string' ? message : format(message));
  }
}
