import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';
import { newIpBuffer, parseIp } from './ip.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

test('parseIp: IPv4, IPv6, CIDR', () => {
  const b = newIpBuffer();
  for (const ok of [
    '203.0.113.0/24',
    '203.0.113.7',
    '0.0.0.0/0',
    '2001:DB8:1234:5678::/64',
    '::',
    '::1',
    '1::',
    'fe80::1:2',
    '::ffff:192.0.2.1',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
  ]) {
    assert.ok(parseIp(ok, b), ok);
  }
  for (const bad of [
    '',
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.4/33',
    '1.2.3.4/',
    '::1/129',
    '1:::2',
    '1::2::3',
    '12345::',
    'g::',
    '1:2:3:4:5:6:7:8:9',
    'abc',
    '1.2.3.4 ',
    ':1',
    '1:',
  ]) {
    assert.equal(parseIp(bad, b), false, bad);
  }
});

// reference_policies_elements_condition_operators.md, "IP address condition operators".
test('IpAddress / NotIpAddress', () => {
  const k = 'aws:SourceIp';
  const block = { IpAddress: { [k]: ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
  assert.equal(m(block, { [k]: '203.0.113.255' }), true);
  assert.equal(m(block, { [k]: '203.0.114.1' }), false);
  assert.equal(m(block, { [k]: '2001:db8:1234:5678:abcd::1' }), true);
  assert.equal(m(block, { [k]: '2001:db8:1234:5679::1' }), false);
  assert.equal(m(block, { [k]: 'not-an-ip' }), false);
  assert.equal(m({ IpAddress: { [k]: '203.0.113.7' } }, { [k]: '203.0.113.7' }), true, 'single address is /32');
  assert.equal(m({ IpAddress: { [k]: '203.0.113.7' } }, { [k]: '203.0.113.8' }), false);
  assert.equal(m({ IpAddress: { [k]: '203.0.113.9/24' } }, { [k]: '203.0.113.200' }), true, 'host bits ignored');
  assert.equal(m({ IpAddress: { [k]: '0.0.0.0/0' } }, { [k]: '8.8.8.8' }), true);
  assert.equal(m({ IpAddress: { [k]: '0.0.0.0/0' } }, { [k]: '::1' }), false, 'families differ');
  assert.equal(m({ IpAddress: { [k]: '192.0.2.0/24' } }, { [k]: '::ffff:192.0.2.1' }), true, 'IPv4-mapped');
  assert.equal(m({ NotIpAddress: { [k]: ['10.0.0.0/8', '192.168.0.0/16'] } }, { [k]: '10.1.2.3' }), false);
  assert.equal(m({ NotIpAddress: { [k]: ['10.0.0.0/8', '192.168.0.0/16'] } }, { [k]: '8.8.8.8' }), true);
  assert.match(evaluateBlock({ IpAddress: { [k]: '10.0.0.0/40' } }, ctx({})).error ?? '', /IP address/);
});
