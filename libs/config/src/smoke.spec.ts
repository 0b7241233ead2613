import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, it, expect } from '@jest/globals';

@Injectable()
class A { v = 1; }
@Injectable()
class B { constructor(readonly a: A) {} }

describe('toolchain', () => {
  it('resolves decorated providers under ESM', async () => {
    const m = await Test.createTestingModule({ providers: [A, B] }).compile();
    expect(m.get(B).a.v).toBe(1);
  });
});
