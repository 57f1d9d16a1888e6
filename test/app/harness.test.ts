import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';

@Injectable()
class Clock {
  now(): number {
    return 42;
  }
}

@Injectable()
class Greeter {
  // No @Inject(): Nest can only resolve Clock from the emitted design:paramtypes metadata.
  constructor(private readonly clock: Clock) {}

  greet(): string {
    return `hello at ${this.clock.now()}`;
  }
}

describe('test harness', () => {
  it('emits decorator metadata, so Nest resolves constructor dependencies by type', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [Clock, Greeter] }).compile();
    try {
      expect(Reflect.getMetadata('design:paramtypes', Greeter)).toEqual([Clock]);
      expect(moduleRef.get(Greeter).greet()).toBe('hello at 42');
    } finally {
      await moduleRef.close();
    }
  });
});
