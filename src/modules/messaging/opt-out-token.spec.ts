import { isOptOutKeyword, signOptOut, verifyOptOut } from './opt-out-token';

const secret = Buffer.from('a-secret-for-tests-only-0123456789abcdef');
const member = '6f1c2b9e-1d2a-4c3b-8e4f-0a1b2c3d4e5f';

describe('opt-out tokens', () => {
  const token = signOptOut(secret, member, 'email');

  it.each([
    ['the token as signed', token, { memberId: member, channel: 'email' }],
    ['another channel', signOptOut(secret, member, 'sms'), { memberId: member, channel: 'sms' }],
    ['the channel swapped', token.replace('.email.', '.sms.'), null],
    ['another member', token.replace(member, member.replace('6f1c', '7f1c')), null],
    ['signed with another secret', signOptOut(Buffer.from('other'), member, 'email'), null],
    ['a shortened signature', token.slice(0, -1), null],
    ['not a uuid', `x.email.${token.split('.')[2]}`, null],
    ['garbage', 'abc', null],
    ['empty', '', null],
  ])('%s', (_name, given, expected) => {
    expect(verifyOptOut(secret, given)).toEqual(expected);
  });
});

describe('isOptOutKeyword', () => {
  it.each([
    ['BAJA', true],
    ['baja', true],
    [' Baja. ', true],
    ['STOP', true],
    ['stop please', true],
    ['Cancelar', true],
    ['hola', false],
    ['no baja', false],
    ['', false],
  ])('%s → %s', (text, expected) => {
    expect(isOptOutKeyword(text)).toBe(expected);
  });
});
