import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import type { AccountModel, SourceModel } from '../models.js';

/** The owning account of anything that knows its account's upstream id (from the cached account list). */
export async function accountOf(
  child: { source: SourceModel; accountProviderId: string },
  ctx: Context,
): Promise<AccountModel> {
  const account = await ctx.api(child.source).getAccount(child.accountProviderId);
  if (!account)
    throw new NotFoundError(`Account "${child.accountProviderId}" of source "${child.source.id}" no longer exists.`);
  return account;
}
