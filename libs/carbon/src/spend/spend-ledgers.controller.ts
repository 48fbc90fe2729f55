import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, NotFoundError, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { SpendLedgerService } from './spend-ledger.service';
import {
  CorrectSpendLineDto,
  LEDGER_CURRENCIES,
  LEDGER_FORMATS,
  SpendRuleDto,
  UploadSpendLedgerDto,
} from './spend.dto';
import { SpendCategoryView, SpendLedgerSummaryView, SpendLedgerView, SpendRuleView } from './spend.responses';

const uploadBody = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description:
          'Xero Account Transactions CSV, QuickBooks Transaction Detail by Account CSV, a Sage audit trail / nominal activity CSV (layout unverified), or a CSV with date, description, account (or account code), amount (or debit and credit) columns',
      },
      currency: { type: 'string', enum: [...LEDGER_CURRENCIES] },
      format: { type: 'string', enum: [...LEDGER_FORMATS] },
      factorSet: { type: 'string', enum: ['epa', 'exiobase'] },
    },
  },
};

const lineNoParam = () =>
  Param('lineNo', new ParseIntPipe({ exceptionFactory: () => new NotFoundError('Spend ledger line') }));

/** Spend-based Scope 3 from accounting exports (issue 18). */
@ApiTags('carbon')
@Controller('orgs/:orgId')
export class SpendLedgersController {
  constructor(private readonly spend: SpendLedgerService) {}

  @Post('spend-ledgers')
  @Access.org(WRITE_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody(uploadBody)
  @ApiOperation({
    summary:
      'Upload an accounting export: every line mapped to a spend category (organisation rules first), priced with an inflation- and currency-adjusted EEIO factor, or excluded with its reason; replaces earlier uploads of an overlapping period',
  })
  @ApiCreatedResponse({ type: SpendLedgerView })
  @UseInterceptors(FileInterceptor('file'))
  upload(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: UploadSpendLedgerDto,
  ): Promise<SpendLedgerView> {
    return this.spend.upload(RequestContext.tenantId(), file, dto);
  }

  @Get('spend-ledgers')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: SpendLedgerSummaryView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<SpendLedgerSummaryView[]> {
    return this.spend.list(RequestContext.tenantId());
  }

  @Get('spend-ledgers/:ledgerId')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'The ledger with every line: category, factor, source, adjustment, kg CO2e or excluded reason',
  })
  @ApiOkResponse({ type: SpendLedgerView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ledgerId', 'Spend ledger') ledgerId: string,
  ): Promise<SpendLedgerView> {
    return this.spend.get(RequestContext.tenantId(), ledgerId);
  }

  @Delete('spend-ledgers/:ledgerId')
  @Access.org(WRITE_ROLES)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with the activities it fed to the inventory' })
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ledgerId', 'Spend ledger') ledgerId: string,
  ): Promise<void> {
    await this.spend.remove(RequestContext.tenantId(), ledgerId);
  }

  @Patch('spend-ledgers/:ledgerId/lines/:lineNo')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      "Correct a line's category: with remember (default) it becomes an organisation rule (supplier and account, else account and description), otherwise it holds for this line only; the ledger is priced again",
  })
  @ApiOkResponse({ type: SpendLedgerView })
  correct(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ledgerId', 'Spend ledger') ledgerId: string,
    @lineNoParam() lineNo: number,
    @Body() dto: CorrectSpendLineDto,
  ): Promise<SpendLedgerView> {
    return this.spend.correct(
      RequestContext.tenantId(),
      ledgerId,
      lineNo,
      dto.category,
      dto.remember ?? true,
    );
  }

  @Post('spend-ledgers/:ledgerId/reapply-rules')
  @Access.org(WRITE_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Apply the organisation's current rules to the ledger's lines again (lines corrected by hand keep their category) and price it again",
  })
  @ApiOkResponse({ type: SpendLedgerView })
  reapply(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ledgerId', 'Spend ledger') ledgerId: string,
  ): Promise<SpendLedgerView> {
    return this.spend.reapplyRules(RequestContext.tenantId(), ledgerId);
  }

  @Post('spend-rules')
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'A new organisation mapping rule (every condition given must match)' })
  @ApiCreatedResponse({ type: SpendRuleView })
  createRule(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: SpendRuleDto,
  ): Promise<SpendRuleView> {
    return this.spend.createRule(RequestContext.tenantId(), dto);
  }

  @Put('spend-rules/:ruleId')
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: "Replace a rule's conditions and category" })
  @ApiOkResponse({ type: SpendRuleView })
  updateRule(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ruleId', 'Spend rule') ruleId: string,
    @Body() dto: SpendRuleDto,
  ): Promise<SpendRuleView> {
    return this.spend.updateRule(RequestContext.tenantId(), ruleId, dto);
  }

  @Delete('spend-rules/:ruleId')
  @Access.org(WRITE_ROLES)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; ledgers change when their rules are applied again' })
  async removeRule(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('ruleId', 'Spend rule') ruleId: string,
  ): Promise<void> {
    await this.spend.removeRule(RequestContext.tenantId(), ruleId);
  }

  @Get('spend-rules')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: SpendRuleView, isArray: true })
  rules(@uuidParam('orgId', 'Organization') _orgId: string): Promise<SpendRuleView[]> {
    return this.spend.rules(RequestContext.tenantId());
  }

  @Get('spend-categories')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'The spend categories with their NAICS code, EXIOBASE product and Scope 3 category',
  })
  @ApiOkResponse({ type: SpendCategoryView, isArray: true })
  categories(@uuidParam('orgId', 'Organization') _orgId: string): SpendCategoryView[] {
    return this.spend.categories();
  }
}
