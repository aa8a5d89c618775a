import type { ReferralCustomerContactQuery, ReferralOrderContactQuery } from "~/types/admin.generated";
import type { AdminApi } from "./client.server";

/**
 * Contact points read only when a referral is assessed (rare), compared at once and never stored:
 * the app keeps no phone or address.
 */
export const REFERRAL_ORDER_CONTACT_QUERY = `#graphql
  query ReferralOrderContact($id: ID!) {
    order(id: $id) {
      email
      phone
      shippingAddress {
        address1
        zip
        countryCodeV2
        phone
      }
      billingAddress {
        address1
        zip
        countryCodeV2
        phone
      }
    }
  }
`;

export const REFERRAL_CUSTOMER_CONTACT_QUERY = `#graphql
  query ReferralCustomerContact($id: ID!) {
    customer(id: $id) {
      defaultEmailAddress {
        emailAddress
      }
      defaultPhoneNumber {
        phoneNumber
      }
      addressesV2(first: 10) {
        nodes {
          address1
          zip
          countryCodeV2
          phone
        }
      }
    }
  }
`;

export interface ContactPoints {
  emails: string[];
  phones: string[];
  addresses: { address1: string | null; zip: string | null; countryCode: string | null }[];
}

type Address = { address1?: string | null; zip?: string | null; countryCodeV2?: string | null; phone?: string | null } | null | undefined;

function contactPoints(emails: (string | null | undefined)[], phones: (string | null | undefined)[], addresses: Address[]): ContactPoints {
  const present = addresses.filter((address) => address != null);
  return {
    emails: emails.filter((email): email is string => Boolean(email)),
    phones: [...phones, ...present.map((address) => address.phone)].filter((phone): phone is string => Boolean(phone)),
    addresses: present.map((address) => ({ address1: address.address1 ?? null, zip: address.zip ?? null, countryCode: address.countryCodeV2 ?? null })),
  };
}

/** What the buyer gave at checkout. */
export async function fetchOrderContact(api: AdminApi, orderGid: string): Promise<ContactPoints> {
  const { order } = await api.request<ReferralOrderContactQuery>(REFERRAL_ORDER_CONTACT_QUERY, { id: orderGid });
  return contactPoints([order?.email], [order?.phone], [order?.shippingAddress, order?.billingAddress]);
}

/** The customer's email, phone and saved addresses. */
export async function fetchCustomerContact(api: AdminApi, customerGid: string): Promise<ContactPoints> {
  const { customer } = await api.request<ReferralCustomerContactQuery>(REFERRAL_CUSTOMER_CONTACT_QUERY, { id: customerGid });
  return contactPoints([customer?.defaultEmailAddress?.emailAddress], [customer?.defaultPhoneNumber?.phoneNumber], customer?.addressesV2.nodes ?? []);
}
