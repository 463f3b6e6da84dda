import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from './auth';

/** What an enrolment hook learns about the new member. */
export interface EnrolmentEvent {
  memberId: string;
  /** A refer-a-friend code the member enrolled with, if any. */
  referralCode: string | null;
  principal?: Principal;
}

/**
 * Work other modules do when a member enrols (enrolment bonus, refer-a-friend), in the
 * enrolment's transaction: a hook that throws rolls the enrolment back. Modules register at
 * start (onModuleInit); the members module runs them all, so it needs no dependency on them
 * (the promotions module depends on members, not the other way round).
 */
export interface EnrolmentHook {
  name: string;
  afterEnrol(event: EnrolmentEvent, manager: EntityManager): Promise<void>;
}

@Injectable()
export class EnrolmentHooks {
  private readonly hooks = new Map<string, EnrolmentHook>();

  register(hook: EnrolmentHook): void {
    this.hooks.set(hook.name, hook);
  }

  async run(event: EnrolmentEvent, manager: EntityManager): Promise<void> {
    for (const hook of this.hooks.values()) await hook.afterEnrol(event, manager);
  }
}
