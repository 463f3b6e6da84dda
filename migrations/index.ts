/**
 * Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and the tests
 * load the same set whether running from TypeScript or from the build.
 */
import { CreateFoundation1764201600000 } from './1764201600000-CreateFoundation';
import { AddMemberSearchIndexes1764300000000 } from './1764300000000-AddMemberSearchIndexes';
import { AddAccentInsensitiveMemberSearch1764300000001 } from './1764300000001-AddAccentInsensitiveMemberSearch';
import { AddCardCodesAndPassRegistrations1764400000000 } from './1764400000000-AddCardCodesAndPassRegistrations';
import { CreateLedger1764500000000 } from './1764500000000-CreateLedger';
import { CreatePromotions1764600000000 } from './1764600000000-CreatePromotions';
import { CreateTiersRewardsEarningRules1764610000000 } from './1764610000000-CreateTiersRewardsEarningRules';
import { CreateReferrals1764620000000 } from './1764620000000-CreateReferrals';
import { CreateMemberTags1764630000000 } from './1764630000000-CreateMemberTags';
import { ReplacePromotionAwards1764640000000 } from './1764640000000-ReplacePromotionAwards';
import { MakeCardPassUpdatesHot1764700000000 } from './1764700000000-MakeCardPassUpdatesHot';
import { DropPurchaseBreakdown1764700000001 } from './1764700000001-DropPurchaseBreakdown';
import { LeaveRoomForAccountUpdates1764700000002 } from './1764700000002-LeaveRoomForAccountUpdates';
import { CheckPurchaseStoresWithoutLocking1764700000003 } from './1764700000003-CheckPurchaseStoresWithoutLocking';
import { AddStoreRegion1764800000000 } from './1764800000000-AddStoreRegion';
import { KeepOneMemberTier1765200000000 } from './1765200000000-KeepOneMemberTier';
import { AddCredentialVersions1765300000000 } from './1765300000000-AddCredentialVersions';
import { AllowLedgerTextRedaction1765300000001 } from './1765300000001-AllowLedgerTextRedaction';
import { CreateSatisfaction1765400000000 } from './1765400000000-CreateSatisfaction';
import { CreateFollowup1765400000001 } from './1765400000001-CreateFollowup';
import { DropFollowupTaskPlanKey1765400000002 } from './1765400000002-DropFollowupTaskPlanKey';
import { ExtendOutboxForDispatch1765500000000 } from './1765500000000-ExtendOutboxForDispatch';
import { CreateReportSnapshots1765500000001 } from './1765500000001-CreateReportSnapshots';
import { CreateCases1765600000000 } from './1765600000000-CreateCases';
import { AddCaseQueueIndexes1765600000001 } from './1765600000001-AddCaseQueueIndexes';
import { CreateSearchConfigurations1765700000000 } from './1765700000000-CreateSearchConfigurations';
import { MakeAuditLogAppendOnly1765700000001 } from './1765700000001-MakeAuditLogAppendOnly';
import { CreateKnowledgeBase1765700000002 } from './1765700000002-CreateKnowledgeBase';
import { CreateSettingsAndCategories1765800000000 } from './1765800000000-CreateSettingsAndCategories';
import { RememberCouponPayment1766000000000 } from './1766000000000-RememberCouponPayment';
import { CreateSatisfactionDaily1766100000000 } from './1766100000000-CreateSatisfactionDaily';
import { AddCaseComplaintFiguresIndex1766100000001 } from './1766100000001-AddCaseComplaintFiguresIndex';
import { CreateKbAttachments1766200000000 } from './1766200000000-CreateKbAttachments';
import { DropFollowupTaskMemberKey1766300000000 } from './1766300000000-DropFollowupTaskMemberKey';
import { CreateDepartments1766400000000 } from './1766400000000-CreateDepartments';
import { AddCasePeriodIndexes1766400000001 } from './1766400000001-AddCasePeriodIndexes';
import { FollowupTaskKeyByPurchase1766500000000 } from './1766500000000-FollowupTaskKeyByPurchase';

export const ALL_MIGRATIONS = [
  CreateFoundation1764201600000,
  AddMemberSearchIndexes1764300000000,
  AddAccentInsensitiveMemberSearch1764300000001,
  AddCardCodesAndPassRegistrations1764400000000,
  CreateLedger1764500000000,
  CreatePromotions1764600000000,
  CreateTiersRewardsEarningRules1764610000000,
  CreateReferrals1764620000000,
  CreateMemberTags1764630000000,
  ReplacePromotionAwards1764640000000,
  MakeCardPassUpdatesHot1764700000000,
  DropPurchaseBreakdown1764700000001,
  LeaveRoomForAccountUpdates1764700000002,
  CheckPurchaseStoresWithoutLocking1764700000003,
  AddStoreRegion1764800000000,
  KeepOneMemberTier1765200000000,
  AddCredentialVersions1765300000000,
  AllowLedgerTextRedaction1765300000001,
  CreateSatisfaction1765400000000,
  CreateFollowup1765400000001,
  DropFollowupTaskPlanKey1765400000002,
  ExtendOutboxForDispatch1765500000000,
  CreateReportSnapshots1765500000001,
  CreateCases1765600000000,
  AddCaseQueueIndexes1765600000001,
  CreateSearchConfigurations1765700000000,
  MakeAuditLogAppendOnly1765700000001,
  CreateKnowledgeBase1765700000002,
  CreateSettingsAndCategories1765800000000,
  RememberCouponPayment1766000000000,
  CreateSatisfactionDaily1766100000000,
  AddCaseComplaintFiguresIndex1766100000001,
  CreateKbAttachments1766200000000,
  DropFollowupTaskMemberKey1766300000000,
  CreateDepartments1766400000000,
  AddCasePeriodIndexes1766400000001,
  FollowupTaskKeyByPurchase1766500000000,
];
