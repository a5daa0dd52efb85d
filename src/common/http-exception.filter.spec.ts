import { expect } from '@jest/globals';
import { ArgumentsHost } from '@nestjs/common';
import { HttpExceptionFilter } from './http-exception.filter';

function capture(exception: unknown): { status: number; body: Record<string, unknown> } {
  const result = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    headersSent: false,
    status(code: number) {
      result.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      result.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-1', originalUrl: '/x' }), getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return result;
}

describe('HttpExceptionFilter: PostgreSQL data errors', () => {
  it.each(['22021', '22P05', '22001'])('maps %s to 400 without quoting SQL or values', (code) => {
    const error = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code,
      query: 'INSERT INTO guests (name) VALUES ($1)',
      parameters: ['secret@example.com'],
      driverError: { code },
    });
    const { status, body } = capture(error);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).not.toMatch(/INSERT|secret@example\.com|0x00/);
    expect(body.details).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it('leaves other database errors a 500', () => {
    expect(capture(Object.assign(new Error('boom'), { code: '23505' })).status).toBe(500);
  });
});
