import {
  getMetadataStorage,
  IsInt,
  IsString,
  MaxLength,
  MetadataStorage,
  Min,
  registerDecorator,
  validate,
} from 'class-validator';
import { rememberRuleLookups } from './rule-lookups';

class Parent {
  @IsString()
  @MaxLength(10)
  name!: string;

  @IsInt({ groups: ['admin'] })
  level!: number;
}

class Child extends Parent {
  @MaxLength(3) // overrides the parent's MaxLength for `name`
  declare name: string;

  @IsInt()
  @Min(1)
  count!: number;
}

class Plain {}

const storage = getMetadataStorage();
/** class-validator's own answer, without the remembered lookups. */
const libraryAnswer = (...args: Parameters<MetadataStorage['getTargetValidationMetadatas']>) =>
  MetadataStorage.prototype.getTargetValidationMetadatas.apply(storage, args);
const describeRules = (rules: { propertyName: string; name?: string; type: string }[]) =>
  rules.map((r) => `${r.propertyName}:${r.name ?? r.type}`).sort();

beforeAll(() => rememberRuleLookups());

describe('rememberRuleLookups', () => {
  // class-validator passes the parent's class name as the schema of a nested object.
  it.each([
    [Parent, '', false, false],
    [Parent, '', true, false],
    [Parent, '', false, true],
    [Parent, '', true, true],
    [Child, '', false, false],
    [Child, '', true, false],
    [Child, '', false, true],
    [Child, '', true, true],
    [Child, 'Parent', false, false],
    [Plain, '', false, false],
    [Plain, 'Child', false, false],
  ])(
    '%p schema=%p always=%p strictGroups=%p: the library’s answer, kept',
    (cls, schema, always, strict) => {
      const first = storage.getTargetValidationMetadatas(cls, schema, always, strict);
      expect(describeRules(first)).toEqual(
        describeRules(libraryAnswer(cls, schema, always, strict)),
      );
      expect(storage.getTargetValidationMetadatas(cls, schema, always, strict)).toBe(first);
    },
  );

  it('passes lookups with groups through', () => {
    expect(
      describeRules(storage.getTargetValidationMetadatas(Parent, '', false, false, ['admin'])),
    ).toEqual(describeRules(libraryAnswer(Parent, '', false, false, ['admin'])));
  });

  it('sees a class defined later and a rule added later', async () => {
    const before = storage.getTargetValidationMetadatas(Child, '', false, false);
    class Later extends Child {
      @IsString()
      note!: string;
    }
    const later = describeRules(storage.getTargetValidationMetadatas(Later, '', false, false));
    expect(later).toEqual(describeRules(libraryAnswer(Later, '', false, false)));
    expect(later).toEqual(expect.arrayContaining(['count:min', 'note:isString']));

    registerDecorator({
      name: 'isEven',
      target: Child,
      propertyName: 'count',
      validator: { validate: (v: unknown) => typeof v === 'number' && v % 2 === 0 },
    });
    const after = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(after).not.toBe(before);
    expect(describeRules(after)).toContain('count:isEven');
    const errors = await validate(Object.assign(new Child(), { name: 'Ana', level: 1, count: 3 }));
    expect(errors.map((e) => Object.keys(e.constraints ?? {}))).toEqual([['isEven']]);
  });

  it('is installed once', () => {
    const installed = storage.getTargetValidationMetadatas;
    rememberRuleLookups();
    expect(storage.getTargetValidationMetadatas).toBe(installed);
  });
});
