import { getMetadataStorage, MetadataStorage } from 'class-validator';

// class-validator keys its rules by constructor (its own parameter type).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Ctor = Function;
type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type Rule = Parameters<MetadataStorage['addValidationMetadata']>[0];

const REMEMBERING = Symbol('fidelia.rememberingRuleLookups');

/**
 * class-validator finds the rules of each object it validates with
 * `MetadataStorage.getTargetValidationMetadatas`, which tests every class that has any rule to
 * find the parents (typestack/class-validator#2686, open, no option to cache): with the ~120 DTO
 * classes of all modules that is 8–13 µs per object, and a till scan + purchase validates 5
 * objects (the purchase's lines are nested objects): 0.13 ms of server CPU in a profile of
 * `bench:checkout`.
 * Rules are registered when a class is defined and never change after, so the answer for a class
 * and the options is kept on the storage the library hands out (both are its public API), and
 * forgotten whenever a rule is added (`addValidationMetadata`, which every decorator and
 * schema goes through). Lookups with groups (unused here) are passed through.
 */
export function rememberRuleLookups(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [REMEMBERING]?: true };
  if (marked[REMEMBERING]) return;
  marked[REMEMBERING] = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  // Per class, the answer for each schema name (class-validator passes the parent's class name
  // as the schema of a nested object) and combination of `always` and `strictGroups`.
  let known = new WeakMap<Ctor, Map<string, Rules>>();
  storage.addValidationMetadata = (metadata: Rule): void => {
    known = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups?.length) return lookup(target, schema, always, strictGroups, groups);
    const key = `${always ? 1 : 0}${strictGroups ? 1 : 0}${schema ?? ''}`;
    let answers = known.get(target);
    if (!answers) known.set(target, (answers = new Map()));
    let rules = answers.get(key);
    if (!rules) answers.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
