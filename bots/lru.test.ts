import { createLru } from './lru';

describe('lru', () => {
  it('forgets the least recently used entry beyond max', () => {
    const lru = createLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // 'b' is now the oldest
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c'), lru.size]).toEqual([true, false, true, 2]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => createLru(0)).toThrow('positive integer');
  });
});
