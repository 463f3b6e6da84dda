import { Global, Module } from '@nestjs/common';
import { TransactionGuard } from './transaction-guard';
import { TransactionRunner } from './transaction-runner';

/** Gives every module the one TransactionRunner. */
@Global()
@Module({ providers: [TransactionRunner, TransactionGuard], exports: [TransactionRunner] })
export class DatabaseModule {}
