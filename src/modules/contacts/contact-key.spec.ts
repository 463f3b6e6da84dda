import { contactKey } from './contact-key';
import { ContactsErrorCode } from './contacts.errors';

describe('contactKey', () => {
  it.each([
    [{ email: ' Ana@Example.COM ' }, { email: 'ana@example.com', phone: null }],
    [{ phone: '600 111 222' }, { email: null, phone: '+34600111222' }],
    [{ phone: '+34600111222' }, { email: null, phone: '+34600111222' }],
    [{ phone: '+44 20 7946 0958' }, { email: null, phone: '+442079460958' }],
    [
      { email: 'a@b.es', phone: '600111222' },
      { email: 'a@b.es', phone: '+34600111222' },
    ],
  ])('%j → %j', (input, key) => {
    expect(contactKey(input)).toEqual(key);
  });

  it.each([
    [{}, ContactsErrorCode.KeyRequired, 'email'],
    [{ email: '  ', phone: '' }, ContactsErrorCode.KeyRequired, 'email'],
    [{ phone: '12' }, ContactsErrorCode.BadPhone, 'phone'],
    [{ email: 'a@b.es', phone: 'not a phone' }, ContactsErrorCode.BadPhone, 'phone'],
  ])('%j → 400 %s naming %s', (input, code, field) => {
    expect(() => contactKey(input)).toThrow(
      expect.objectContaining({ code, details: [expect.objectContaining({ field })] }),
    );
  });
});
