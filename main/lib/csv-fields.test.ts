import { describe, expect, it } from 'vitest';
import { csvFields } from './csv-fields';

describe('csvFields', () => {
  it('splits on commas outside quotes, keeps quoted commas and doubled quotes, and empty fields', () => {
    expect(csvFields('a,b,,c')).toEqual(['a', 'b', '', 'c']);
    expect(csvFields('"x, y","say ""hi""",z')).toEqual(['x, y', 'say "hi"', 'z']);
    expect(csvFields('')).toEqual(['']);
  });
});
