import type { SandboxDiscountCode } from "../../../store/model";
import { invalidGlobalId, unsupportedArgument } from "../../errors";
import { parseGid } from "../../gid";
import { objectResolvers, propertyResolvers, type ResolverContext } from "../context";
import { attempt, userError } from "./user-errors";

interface BasicCodeDiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: unknown } | null; discountOnQuantity?: unknown } | null;
    items?: { all?: boolean | null; products?: unknown; collections?: unknown } | null;
  } | null;
  context?: { all?: string | null; customers?: { add?: string[] | null } | null; customerSegments?: unknown; markets?: unknown } | null;
  customerSelection?: { all?: boolean | null; customers?: { add?: string[] | null } | null; customerSegments?: unknown } | null;
  combinesWith?: Record<string, unknown> | null;
  minimumRequirement?: unknown;
  recurringCycleLimit?: number | null;
  tags?: string[] | null;
}

const INPUT = "basicCodeDiscount";

/** The shop names fields by its own model; the mutation answers them by the input's path. */
function inputPath(path: string[] | null): string[] | null {
  if (!path) return null;
  const [head, ...rest] = path;
  if (head === "value") {
    return [INPUT, "customerGets", "value", ...(rest[0] === "amount" ? ["discountAmount", "amount"] : rest)];
  }
  if (head === "customerIds") return [INPUT, "context", "customers", "add", ...rest];
  if (head === "customerSegmentIds") return [INPUT, "context", "customerSegments", "add", ...rest];
  return [INPUT, ...path];
}

/**
 * discountCodeBasicCreate for what the sandbox models: an order-wide percentage or fixed amount
 * off, for everyone or for listed customers, with usage limits. Other options are refused loudly
 * rather than dropped.
 */
function discountCodeBasicCreate(context: ResolverContext, fieldName: string, input: BasicCodeDiscountInput) {
  context.scopes.require("write_discounts", fieldName);
  const unsupported = (option: string) => unsupportedArgument("Mutation", fieldName, `${INPUT}.${option}`);
  if (input.minimumRequirement != null) throw unsupported("minimumRequirement");
  if (input.recurringCycleLimit != null && input.recurringCycleLimit !== 0) throw unsupported("recurringCycleLimit");
  if (input.tags?.length) throw unsupported("tags");
  if (input.combinesWith && Object.values(input.combinesWith).some((value) => value === true || (Array.isArray(value) && value.length > 0))) {
    throw unsupported("combinesWith");
  }
  const gets = input.customerGets;
  if (gets?.value?.discountOnQuantity != null) throw unsupported("customerGets.value.discountOnQuantity");
  if (gets?.items && gets.items.all !== true) throw unsupported("customerGets.items (products or collections)");
  const buyers = input.context ?? input.customerSelection;
  const segmentIds = ((buyers?.customerSegments as { add?: string[] | null } | null | undefined)?.add ?? []).map((id) => {
    const parsed = parseGid(id);
    if (!parsed || parsed.type !== "Segment") throw invalidGlobalId(id);
    return parsed.id;
  });
  if (input.context?.markets != null) throw unsupported("context.markets");

  if (!input.startsAt) return { codeDiscountNode: null, userErrors: [userError([INPUT, "startsAt"], "Starts at can't be blank", "BLANK")] };
  const value = gets?.value;
  let discountValue: SandboxDiscountCode["value"];
  if (value?.percentage != null) discountValue = { percentage: value.percentage };
  else if (value?.discountAmount?.amount != null) discountValue = { amount: String(value.discountAmount.amount) };
  else return { codeDiscountNode: null, userErrors: [userError([INPUT, "customerGets", "value"], "Value can't be blank", "BLANK")] };

  const customerIds = (buyers?.customers?.add ?? []).map((id) => {
    const parsed = parseGid(id);
    if (!parsed || parsed.type !== "Customer") throw invalidGlobalId(id);
    return parsed.id;
  });
  const { result, userErrors } = attempt(
    () =>
      context.shop.createDiscountCode({
        title: input.title ?? "",
        code: input.code ?? "",
        customerIds,
        segmentIds,
        value: discountValue,
        usageLimit: input.usageLimit ?? null,
        appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
        startsAt: input.startsAt!,
        endsAt: input.endsAt ?? null,
      }),
    inputPath,
  );
  return { codeDiscountNode: result, userErrors };
}

export const discountMutations = objectResolvers<unknown>({
  discountCodeBasicCreate: (_root, args, context, info) => discountCodeBasicCreate(context, info.fieldName, args.basicCodeDiscount as BasicCodeDiscountInput),
});

export const discountPayloads = {
  DiscountCodeBasicCreatePayload: propertyResolvers<{ codeDiscountNode: unknown; userErrors: unknown }>("codeDiscountNode", "userErrors"),
};
