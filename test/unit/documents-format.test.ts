import { canonicalJson, formatDateVi, formatVnd, placeAndDateVi, stateHash } from '../../activities/documents/format';

describe('formatVnd', () => {
  it.each([
    [0, '0 đồng'],
    [999, '999 đồng'],
    [1000, '1.000 đồng'],
    [250000000, '250.000.000 đồng'],
    [1500000000, '1.500.000.000 đồng'],
    [-1500000, '-1.500.000 đồng'],
    [Number.MAX_SAFE_INTEGER, '9.007.199.254.740.991 đồng'],
  ])('formats %p as %p', (amount, expected) => {
    expect(formatVnd(amount)).toBe(expected);
  });

  it.each([1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %p (money is integer VND)',
    (amount) => {
      expect(() => formatVnd(amount)).toThrow(RangeError);
    },
  );
});

describe('formatDateVi', () => {
  it('reads an instant in Asia/Ho_Chi_Minh (UTC+7), not UTC', () => {
    expect(formatDateVi('2026-11-23T16:59:59Z')).toBe('23/11/2026');
    expect(formatDateVi('2026-11-23T17:00:00Z')).toBe('24/11/2026');
    expect(formatDateVi('2026-11-23T18:30:00Z')).toBe('24/11/2026');
    expect(formatDateVi('2026-12-31T17:00:00.000Z')).toBe('01/01/2027');
  });

  it('honours an explicit offset in the timestamp', () => {
    expect(formatDateVi('2026-11-24T00:30:00+07:00')).toBe('24/11/2026');
    expect(formatDateVi('2026-11-23T23:30:00-05:00')).toBe('24/11/2026');
  });

  it('takes a plain yyyy-mm-dd as a Vietnamese calendar date', () => {
    expect(formatDateVi('2026-03-05')).toBe('05/03/2026');
    expect(formatDateVi('2028-02-29')).toBe('29/02/2028');
  });

  it.each(['2026-02-30', '2026-13-01', '23/11/2026', '2026-11-23T10:00:00', 'not a date', ''])(
    'refuses %p',
    (input) => {
      expect(() => formatDateVi(input)).toThrow(RangeError);
    },
  );
});

describe('placeAndDateVi', () => {
  it('writes the administrative place-and-date line in Vietnam time', () => {
    expect(placeAndDateVi('Tây Ninh', '2026-11-23T03:00:00Z')).toBe('Tây Ninh, ngày 23 tháng 11 năm 2026');
    expect(placeAndDateVi('Tây Ninh', '2026-11-23T18:30:00Z')).toBe('Tây Ninh, ngày 24 tháng 11 năm 2026');
  });

  it('pads days below 10 and the months 1 and 2 only (Decree 30/2020)', () => {
    expect(placeAndDateVi('Tây Ninh', '2027-01-05')).toBe('Tây Ninh, ngày 05 tháng 01 năm 2027');
    expect(placeAndDateVi('Tây Ninh', '2027-02-09')).toBe('Tây Ninh, ngày 09 tháng 02 năm 2027');
    expect(placeAndDateVi('Tây Ninh', '2027-03-01')).toBe('Tây Ninh, ngày 01 tháng 3 năm 2027');
    expect(placeAndDateVi('Long An', '2027-12-31')).toBe('Long An, ngày 31 tháng 12 năm 2027');
  });
});

describe('stateHash', () => {
  const state = {
    taskId: 'TN-2026-0001',
    stage: 'PROPOSED',
    budget: { stateBudget: 1500000000, otherSources: 0 },
    products: ['Quy trình kỹ thuật', 'Báo cáo tổng hợp'],
  };

  it('is a sha256 hex digest', () => {
    expect(stateHash(state)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, at any depth', () => {
    const reordered = {
      products: ['Quy trình kỹ thuật', 'Báo cáo tổng hợp'],
      budget: { otherSources: 0, stateBudget: 1500000000 },
      stage: 'PROPOSED',
      taskId: 'TN-2026-0001',
    };
    expect(stateHash(reordered)).toBe(stateHash(state));
    expect(canonicalJson(reordered)).toBe(canonicalJson(state));
  });

  it('changes when any value changes, including array order and nested amounts', () => {
    const base = stateHash(state);
    expect(stateHash({ ...state, stage: 'IDENTIFICATION_REVIEW' })).not.toBe(base);
    expect(stateHash({ ...state, budget: { stateBudget: 1500000001, otherSources: 0 } })).not.toBe(base);
    expect(stateHash({ ...state, products: [...state.products].reverse() })).not.toBe(base);
    expect(stateHash({ ...state, extra: null })).not.toBe(base);
  });

  it('follows JSON semantics for undefined members and dates', () => {
    expect(stateHash({ ...state, note: undefined })).toBe(stateHash(state));
    expect(canonicalJson({ at: new Date('2026-11-23T00:00:00Z') })).toBe('{"at":"2026-11-23T00:00:00.000Z"}');
  });

  it('refuses values JSON would silently alter', () => {
    expect(() => stateHash({ amount: Number.NaN })).toThrow(TypeError);
    expect(() => stateHash({ amount: BigInt(1) })).toThrow(TypeError);
    expect(() => stateHash({ votes: new Map() })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stateHash(cyclic)).toThrow(/circular/);
    expect(() => stateHash(undefined)).toThrow(TypeError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });
});
