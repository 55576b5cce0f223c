/**
 * Generators shared by the parser's property tests: policy documents as plain
 * values (valid and not: wrong types, odd strings, unknown elements) and
 * their texts, strict or documentation-style (comments, trailing commas).
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
/** Strings that exercise escapes and positions: quotes, backslashes, control characters, non-ASCII, `${`. */
const oddString = fc.oneof(word, fc.constantFrom('a"b', 'back\\slash', 'line\nbreak', 'tab\there', 'é', '日本', '${aws:username}', '${', 'a:b:c', ''));
const action = fc.oneof(
  fc.tuple(fc.constantFrom('s3', 'iam', 'sagemaker', 'ec2'), fc.stringMatching(/^[A-Za-z*?]{1,10}$/)).map(([s, a]) => `${s}:${a}`),
  fc.constant('*'),
  oddString,
);
const resource = fc.oneof(
  fc.constant('*'),
  word.map((w) => `arn:aws:s3:::${w}/*`),
  word.map((w) => `arn:aws:iam::123456789012:role/${w}`),
  oddString,
);
const scalar: fc.Arbitrary<Json> = fc.oneof(oddString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

/** A string-or-array element, sometimes with a value of the wrong type. */
const list = (item: fc.Arbitrary<string>): fc.Arbitrary<Json> =>
  fc.oneof(
    { weight: 3, arbitrary: item },
    { weight: 5, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: item }, { weight: 1, arbitrary: scalar }), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: scalar,
    },
  );

const condition: fc.Arbitrary<Json> = fc.dictionary(
  fc.constantFrom('StringEquals', 'StringLike', 'ForAnyValue:StringLike', 'NumericLessThan', 'Bool', 'Null', 'StringEqualsIfExists', 'stringequals', 'Bogus'),
  fc.dictionary(
    fc.oneof(
      word.map((w) => `aws:${w}`),
      fc.constantFrom('aws:PrincipalTag/team', 's3:prefix', 'bad key'),
    ),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
    {
      maxKeys: 2,
      noNullPrototype: true,
    },
  ),
  { maxKeys: 3, noNullPrototype: true },
);

const principal: fc.Arbitrary<Json> = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: list(fc.constantFrom('123456789012', 'arn:aws:iam::123456789012:role/R', '*')) }, { noNullPrototype: true }),
  fc.record({ Service: list(fc.constantFrom('sagemaker.amazonaws.com', 'events.amazonaws.com')) }, { noNullPrototype: true }),
);

/** One statement: the usual elements, each present or not, sometimes with odd values or an unknown element. */
export const statementArb: fc.Arbitrary<{ [key: string]: Json }> = fc.record(
  {
    Sid: fc.oneof(word, fc.integer()),
    Effect: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: fc.constantFrom('allow', 'Permit', 5) }),
    Principal: principal,
    Action: list(action),
    NotAction: list(action),
    Resource: list(resource),
    NotResource: list(resource),
    Condition: condition,
    Unknown: scalar,
  },
  { requiredKeys: ['Effect'], noNullPrototype: true },
);

/** A policy document as a plain value. */
export const policyArb: fc.Arbitrary<{ [key: string]: Json }> = fc.record(
  {
    Version: fc.oneof({ weight: 6, arbitrary: fc.constant('2012-10-17') }, { weight: 1, arbitrary: fc.constantFrom('2008-10-17', '2020-01-01', 3) }),
    Id: word,
    Statement: fc.oneof({ weight: 5, arbitrary: fc.array(statementArb, { maxLength: 4 }) }, { weight: 1, arbitrary: statementArb }),
  },
  { requiredKeys: ['Statement'], noNullPrototype: true },
);

/** How a text lays out its value: indentation and line ends. */
export const layoutArb = fc.record({ indent: fc.constantFrom(0, 2, '\t'), crlf: fc.boolean() });

export function strictText(doc: Json, layout: { indent: number | string; crlf: boolean }): string {
  const text = JSON.stringify(doc, null, layout.indent);
  // JSON.stringify escapes line breaks inside strings: every raw \n is layout.
  return layout.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/**
 * Documentation-style text of `doc`: a comment before some values and a
 * trailing comma after some last items; `pick(n)` chooses (0 ≤ result < n).
 */
export function jsoncText(doc: Json, pick: (n: number) => number): string {
  const comment = (): string => (pick(3) === 0 ? (pick(2) === 0 ? '/* note */ ' : '// note\n') : '');
  const trailing = (): string => (pick(2) === 0 ? ',' : '');
  const write = (v: Json): string => {
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${comment()}${write(x)}`).join(',\n')}${trailing()}\n]`;
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return '{}';
      return `{\n${entries.map(([k, x]) => `${comment()}${JSON.stringify(k)}: ${comment()}${write(x)}`).join(',\n')}${trailing()}\n}`;
    }
    return JSON.stringify(v);
  };
  return write(doc);
}

/** A deterministic chooser from a fast-check seed. */
export function chooser(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}
