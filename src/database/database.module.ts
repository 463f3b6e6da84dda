import { Global, Module } from '@nestjs/common';
import { TransactionRunner } from './transaction-runner';

/** Gives every module the one TransactionRunner. */
@Global()
@Module({ providers: [TransactionRunner], exports: [TransactionRunner] })
export class DatabaseModule {}
