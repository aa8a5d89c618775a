import type { LoyaltyDiscountByCodeQuery, LoyaltyDiscountCreateMutation } from "~/types/admin.generated";
import { assertNoUserErrors, type AdminApi } from "./client.server";
import { AdminApiError } from "./errors";

export const LOYALTY_DISCOUNT_CREATE_MUTATION = `#graphql
  mutation LoyaltyDiscountCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const LOYALTY_DISCOUNT_BY_CODE_QUERY = `#graphql
  query LoyaltyDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
        }
      }
    }
  }
`;

export interface CustomerDiscount {
  title: string;
  code: string;
  customerGid: string;
  /** Amount off the order, in the shop currency, as a decimal string ("5.00"). */
  amount: string;
  startsAt: Date;
}

/** A single-use code for one customer, worth a fixed amount off their order. Returns the discount's id. */
export async function createCustomerDiscountCode(api: AdminApi, discount: CustomerDiscount): Promise<string> {
  const data = await api.request<LoyaltyDiscountCreateMutation>(LOYALTY_DISCOUNT_CREATE_MUTATION, {
    discount: {
      title: discount.title,
      code: discount.code,
      startsAt: discount.startsAt.toISOString(),
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [discount.customerGid] } },
      customerGets: { value: { discountAmount: { amount: discount.amount, appliesOnEachItem: false } }, items: { all: true } },
    },
  });
  const node = assertNoUserErrors("discountCodeBasicCreate", data.discountCodeBasicCreate).codeDiscountNode;
  if (!node) throw new AdminApiError("discountCodeBasicCreate returned no discount", "discountCodeBasicCreate");
  return node.id;
}

/** A referral code as a discount: a percentage off, once, for the members of a segment (first-time customers). */
export async function createReferralDiscountCode(
  api: AdminApi,
  discount: { title: string; code: string; percentOff: number; startsAt: Date; segmentGid: string },
): Promise<string> {
  const data = await api.request<LoyaltyDiscountCreateMutation>(LOYALTY_DISCOUNT_CREATE_MUTATION, {
    discount: {
      title: discount.title,
      code: discount.code,
      startsAt: discount.startsAt.toISOString(),
      appliesOncePerCustomer: true,
      context: { customerSegments: { add: [discount.segmentGid] } },
      customerGets: { value: { percentage: discount.percentOff / 100 }, items: { all: true } },
    },
  });
  const node = assertNoUserErrors("discountCodeBasicCreate", data.discountCodeBasicCreate).codeDiscountNode;
  if (!node) throw new AdminApiError("discountCodeBasicCreate returned no discount", "discountCodeBasicCreate");
  return node.id;
}

/** The discount holding this code, if Shopify has one, with its title (to tell ours from another). */
export async function findDiscountByCode(api: AdminApi, code: string): Promise<{ id: string; title: string | null } | null> {
  const data = await api.request<LoyaltyDiscountByCodeQuery>(LOYALTY_DISCOUNT_BY_CODE_QUERY, { code });
  const node = data.codeDiscountNodeByCode;
  if (!node) return null;
  return { id: node.id, title: "title" in node.codeDiscount ? node.codeDiscount.title ?? null : null };
}
