/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.d.ts';

export type LoyaltyAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type LoyaltyAppInstallationQuery = { currentAppInstallation: { id: string } };

export type BulkVariablesUploadMutationVariables = AdminTypes.Exact<{
  filename: AdminTypes.Scalars['String']['input'];
}>;


export type BulkVariablesUploadMutation = { stagedUploadsCreate: { stagedTargets: Array<{ url: string | null, parameters: Array<{ name: string, value: string }> }> | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type BulkMutationStartMutationVariables = AdminTypes.Exact<{
  mutation: AdminTypes.Scalars['String']['input'];
  stagedUploadPath: AdminTypes.Scalars['String']['input'];
}>;


export type BulkMutationStartMutation = { bulkOperationRunMutation: { bulkOperation: { id: string, status: AdminTypes.BulkOperationStatus } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.BulkMutationErrorCode | null }> } | null };

export type BulkTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type BulkTagsAddMutation = { tagsAdd: { node: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type BulkTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type BulkTagsRemoveMutation = { tagsRemove: { node: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type BulkMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type BulkMetafieldsSetMutation = { metafieldsSet: { userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type BulkCustomersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BulkCustomersQuery = { customers: { edges: Array<{ node: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } }> } };

export type BulkOrdersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type BulkOrdersQuery = { orders: { edges: Array<{ node: { id: string, name: string, createdAt: string, processedAt: string, updatedAt: string, cancelledAt: string | null, displayFinancialStatus: AdminTypes.OrderDisplayFinancialStatus | null, test: boolean, discountCodes: Array<string>, subtotalPriceSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } } | null, totalPriceSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } }, customAttributes: Array<{ key: string, value: string | null }>, customerJourneySummary: { lastVisit: { landingPage: string | null } | null } | null, customer: { id: string } | null, refunds: Array<{ id: string, createdAt: string | null, totalRefundedSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } } }> } }> } };

export type BulkQueryStartMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type BulkQueryStartMutation = { bulkOperationRunQuery: { bulkOperation: { id: string, status: AdminTypes.BulkOperationStatus } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.BulkOperationUserErrorCode | null }> } | null };

export type BulkOperationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkOperationStatusQuery = { bulkOperation: { id: string, status: AdminTypes.BulkOperationStatus, errorCode: AdminTypes.BulkOperationErrorCode | null, objectCount: string, url: string | null, partialDataUrl: string | null } | null };

export type SyncCustomerQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SyncCustomerQuery = { customer: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } | null };

export type SyncCustomersPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type SyncCustomersPageQuery = { customers: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null }> } };

export type LoyaltyDiscountCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type LoyaltyDiscountCreateMutation = { discountCodeBasicCreate: { codeDiscountNode: { id: string } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.DiscountErrorCode | null }> } | null };

export type LoyaltyDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyDiscountByCodeQuery = { codeDiscountNodeByCode: { id: string, codeDiscount: { title: string } } | null };

export type LifecycleMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type LifecycleMetafieldsSetMutation = { metafieldsSet: { metafields: Array<{ key: string }> | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.MetafieldsSetUserErrorCode | null, elementIndex: number | null }> } | null };

export type LifecycleMetafieldsDeleteMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldIdentifierInput> | AdminTypes.MetafieldIdentifierInput;
}>;


export type LifecycleMetafieldsDeleteMutation = { metafieldsDelete: { deletedMetafields: Array<{ key: string } | null> | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type LifecycleMetafieldDefinitionCreateMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionInput;
}>;


export type LifecycleMetafieldDefinitionCreateMutation = { metafieldDefinitionCreate: { createdDefinition: { id: string } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.MetafieldDefinitionCreateUserErrorCode | null }> } | null };

export type LifecycleMetafieldDefinitionUpdateMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionUpdateInput;
}>;


export type LifecycleMetafieldDefinitionUpdateMutation = { metafieldDefinitionUpdate: { updatedDefinition: { id: string, access: { storefront: AdminTypes.MetafieldStorefrontAccess | null } } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: AdminTypes.MetafieldDefinitionUpdateUserErrorCode | null }> } | null };

export type LifecycleMetafieldDefinitionsQueryVariables = AdminTypes.Exact<{
  namespace: AdminTypes.Scalars['String']['input'];
}>;


export type LifecycleMetafieldDefinitionsQuery = { metafieldDefinitions: { nodes: Array<{ namespace: string, key: string, access: { storefront: AdminTypes.MetafieldStorefrontAccess | null } }> } };

export type SyncOrdersPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type SyncOrdersPageQuery = { orders: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, createdAt: string, processedAt: string, updatedAt: string, cancelledAt: string | null, displayFinancialStatus: AdminTypes.OrderDisplayFinancialStatus | null, test: boolean, discountCodes: Array<string>, subtotalPriceSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } } | null, totalPriceSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } }, customAttributes: Array<{ key: string, value: string | null }>, customerJourneySummary: { lastVisit: { landingPage: string | null } | null } | null, customer: { id: string } | null, refunds: Array<{ id: string, createdAt: string | null, totalRefundedSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } } }> }> } };

export type SyncOrderRefundsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SyncOrderRefundsQuery = { order: { id: string, refunds: Array<{ id: string, createdAt: string | null, totalRefundedSet: { shopMoney: { amount: string, currencyCode: AdminTypes.CurrencyCode } } }> } | null };

export type ReferralOrderContactQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ReferralOrderContactQuery = { order: { email: string | null, phone: string | null, shippingAddress: { address1: string | null, zip: string | null, countryCodeV2: AdminTypes.CountryCode | null, phone: string | null } | null, billingAddress: { address1: string | null, zip: string | null, countryCodeV2: AdminTypes.CountryCode | null, phone: string | null } | null } | null };

export type ReferralCustomerContactQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ReferralCustomerContactQuery = { customer: { defaultEmailAddress: { emailAddress: string } | null, defaultPhoneNumber: { phoneNumber: string } | null, addressesV2: { nodes: Array<{ address1: string | null, zip: string | null, countryCodeV2: AdminTypes.CountryCode | null, phone: string | null }> } } | null };

export type ManagedSegmentCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars['String']['input'];
  query: AdminTypes.Scalars['String']['input'];
}>;


export type ManagedSegmentCreateMutation = { segmentCreate: { segment: { id: string, name: string, query: string } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type ManagedSegmentUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  name?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type ManagedSegmentUpdateMutation = { segmentUpdate: { segment: { id: string, name: string, query: string } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type ShopOverviewQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopOverviewQuery = { shop: { name: string, myshopifyDomain: string, currencyCode: AdminTypes.CurrencyCode, ianaTimezone: string }, customersCount: { count: number, precision: AdminTypes.CountPrecision } | null, ordersCount: { count: number, precision: AdminTypes.CountPrecision } | null };

export type CustomerTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type CustomerTagsAddMutation = { tagsAdd: { node: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

export type CustomerTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type CustomerTagsRemoveMutation = { tagsRemove: { node: { id: string, createdAt: string, updatedAt: string, state: AdminTypes.CustomerState, tags: Array<string>, firstName: string | null, lastName: string | null, defaultEmailAddress: { emailAddress: string, marketingState: AdminTypes.CustomerEmailAddressMarketingState } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string }> } | null };

interface GeneratedQueryTypes {
  "#graphql\n  query LoyaltyAppInstallation {\n    currentAppInstallation {\n      id\n    }\n  }\n": {return: LoyaltyAppInstallationQuery, variables: LoyaltyAppInstallationQueryVariables},
  "#graphql\n  query BulkCustomers {\n    customers {\n      edges {\n        node {\n          id\n          createdAt\n          updatedAt\n          state\n          tags\n          firstName\n          lastName\n          defaultEmailAddress {\n            emailAddress\n            marketingState\n          }\n        }\n      }\n    }\n  }\n": {return: BulkCustomersQuery, variables: BulkCustomersQueryVariables},
  "#graphql\n  query BulkOrders {\n    orders {\n      edges {\n        node {\n          id\n          name\n          createdAt\n          processedAt\n          updatedAt\n          cancelledAt\n          displayFinancialStatus\n          test\n          subtotalPriceSet {\n            shopMoney {\n              amount\n              currencyCode\n            }\n          }\n          totalPriceSet {\n            shopMoney {\n              amount\n              currencyCode\n            }\n          }\n          discountCodes\n          customAttributes {\n            key\n            value\n          }\n          customerJourneySummary {\n            lastVisit {\n              landingPage\n            }\n          }\n          customer {\n            id\n          }\n          refunds {\n            id\n            createdAt\n            totalRefundedSet {\n              shopMoney {\n                amount\n                currencyCode\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: BulkOrdersQuery, variables: BulkOrdersQueryVariables},
  "#graphql\n  query BulkOperationStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      url\n      partialDataUrl\n    }\n  }\n": {return: BulkOperationStatusQuery, variables: BulkOperationStatusQueryVariables},
  "#graphql\n  query SyncCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      createdAt\n      updatedAt\n      state\n      tags\n      firstName\n      lastName\n      defaultEmailAddress {\n        emailAddress\n        marketingState\n      }\n    }\n  }\n": {return: SyncCustomerQuery, variables: SyncCustomerQueryVariables},
  "#graphql\n  query SyncCustomersPage($first: Int!, $after: String, $query: String) {\n    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        createdAt\n        updatedAt\n        state\n        tags\n        firstName\n        lastName\n        defaultEmailAddress {\n          emailAddress\n          marketingState\n        }\n      }\n    }\n  }\n": {return: SyncCustomersPageQuery, variables: SyncCustomersPageQueryVariables},
  "#graphql\n  query LoyaltyDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n      codeDiscount {\n        ... on DiscountCodeBasic {\n          title\n        }\n      }\n    }\n  }\n": {return: LoyaltyDiscountByCodeQuery, variables: LoyaltyDiscountByCodeQueryVariables},
  "#graphql\n  query LifecycleMetafieldDefinitions($namespace: String!) {\n    metafieldDefinitions(first: 50, ownerType: CUSTOMER, namespace: $namespace) {\n      nodes {\n        namespace\n        key\n        access {\n          storefront\n        }\n      }\n    }\n  }\n": {return: LifecycleMetafieldDefinitionsQuery, variables: LifecycleMetafieldDefinitionsQueryVariables},
  "#graphql\n  query SyncOrdersPage($first: Int!, $after: String, $query: String) {\n    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        createdAt\n        processedAt\n        updatedAt\n        cancelledAt\n        displayFinancialStatus\n        test\n        subtotalPriceSet {\n          shopMoney {\n            amount\n            currencyCode\n          }\n        }\n        totalPriceSet {\n          shopMoney {\n            amount\n            currencyCode\n          }\n        }\n        discountCodes\n        customAttributes {\n          key\n          value\n        }\n        customerJourneySummary {\n          lastVisit {\n            landingPage\n          }\n        }\n        customer {\n          id\n        }\n        refunds {\n          id\n          createdAt\n          totalRefundedSet {\n            shopMoney {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: SyncOrdersPageQuery, variables: SyncOrdersPageQueryVariables},
  "#graphql\n  query SyncOrderRefunds($id: ID!) {\n    order(id: $id) {\n      id\n      refunds {\n        id\n        createdAt\n        totalRefundedSet {\n          shopMoney {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n  }\n": {return: SyncOrderRefundsQuery, variables: SyncOrderRefundsQueryVariables},
  "#graphql\n  query ReferralOrderContact($id: ID!) {\n    order(id: $id) {\n      email\n      phone\n      shippingAddress {\n        address1\n        zip\n        countryCodeV2\n        phone\n      }\n      billingAddress {\n        address1\n        zip\n        countryCodeV2\n        phone\n      }\n    }\n  }\n": {return: ReferralOrderContactQuery, variables: ReferralOrderContactQueryVariables},
  "#graphql\n  query ReferralCustomerContact($id: ID!) {\n    customer(id: $id) {\n      defaultEmailAddress {\n        emailAddress\n      }\n      defaultPhoneNumber {\n        phoneNumber\n      }\n      addressesV2(first: 10) {\n        nodes {\n          address1\n          zip\n          countryCodeV2\n          phone\n        }\n      }\n    }\n  }\n": {return: ReferralCustomerContactQuery, variables: ReferralCustomerContactQueryVariables},
  "#graphql\n  query ShopOverview {\n    shop {\n      name\n      myshopifyDomain\n      currencyCode\n      ianaTimezone\n    }\n    customersCount(limit: null) {\n      count\n      precision\n    }\n    ordersCount(limit: null) {\n      count\n      precision\n    }\n  }\n": {return: ShopOverviewQuery, variables: ShopOverviewQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation BulkVariablesUpload($filename: String!) {\n    stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: $filename, mimeType: \"text/jsonl\", httpMethod: POST }]) {\n      stagedTargets {\n        url\n        parameters {\n          name\n          value\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: BulkVariablesUploadMutation, variables: BulkVariablesUploadMutationVariables},
  "#graphql\n  mutation BulkMutationStart($mutation: String!, $stagedUploadPath: String!) {\n    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {\n      bulkOperation {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: BulkMutationStartMutation, variables: BulkMutationStartMutationVariables},
  "#graphql\n  mutation BulkTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      node {\n        ... on Customer {\n          id\n          createdAt\n          updatedAt\n          state\n          tags\n          firstName\n          lastName\n          defaultEmailAddress {\n            emailAddress\n            marketingState\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: BulkTagsAddMutation, variables: BulkTagsAddMutationVariables},
  "#graphql\n  mutation BulkTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      node {\n        ... on Customer {\n          id\n          createdAt\n          updatedAt\n          state\n          tags\n          firstName\n          lastName\n          defaultEmailAddress {\n            emailAddress\n            marketingState\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: BulkTagsRemoveMutation, variables: BulkTagsRemoveMutationVariables},
  "#graphql\n  mutation BulkMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: BulkMetafieldsSetMutation, variables: BulkMetafieldsSetMutationVariables},
  "#graphql\n  mutation BulkQueryStart($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: BulkQueryStartMutation, variables: BulkQueryStartMutationVariables},
  "#graphql\n  mutation LoyaltyDiscountCreate($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyDiscountCreateMutation, variables: LoyaltyDiscountCreateMutationVariables},
  "#graphql\n  mutation LifecycleMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields {\n        key\n      }\n      userErrors {\n        field\n        message\n        code\n        elementIndex\n      }\n    }\n  }\n": {return: LifecycleMetafieldsSetMutation, variables: LifecycleMetafieldsSetMutationVariables},
  "#graphql\n  mutation LifecycleMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {\n    metafieldsDelete(metafields: $metafields) {\n      deletedMetafields {\n        key\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: LifecycleMetafieldsDeleteMutation, variables: LifecycleMetafieldsDeleteMutationVariables},
  "#graphql\n  mutation LifecycleMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {\n    metafieldDefinitionCreate(definition: $definition) {\n      createdDefinition {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LifecycleMetafieldDefinitionCreateMutation, variables: LifecycleMetafieldDefinitionCreateMutationVariables},
  "#graphql\n  mutation LifecycleMetafieldDefinitionUpdate($definition: MetafieldDefinitionUpdateInput!) {\n    metafieldDefinitionUpdate(definition: $definition) {\n      updatedDefinition {\n        id\n        access {\n          storefront\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LifecycleMetafieldDefinitionUpdateMutation, variables: LifecycleMetafieldDefinitionUpdateMutationVariables},
  "#graphql\n  mutation ManagedSegmentCreate($name: String!, $query: String!) {\n    segmentCreate(name: $name, query: $query) {\n      segment {\n        id\n        name\n        query\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: ManagedSegmentCreateMutation, variables: ManagedSegmentCreateMutationVariables},
  "#graphql\n  mutation ManagedSegmentUpdate($id: ID!, $name: String, $query: String) {\n    segmentUpdate(id: $id, name: $name, query: $query) {\n      segment {\n        id\n        name\n        query\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: ManagedSegmentUpdateMutation, variables: ManagedSegmentUpdateMutationVariables},
  "#graphql\n  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      node {\n        ... on Customer {\n          id\n          createdAt\n          updatedAt\n          state\n          tags\n          firstName\n          lastName\n          defaultEmailAddress {\n            emailAddress\n            marketingState\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: CustomerTagsAddMutation, variables: CustomerTagsAddMutationVariables},
  "#graphql\n  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      node {\n        ... on Customer {\n          id\n          createdAt\n          updatedAt\n          state\n          tags\n          firstName\n          lastName\n          defaultEmailAddress {\n            emailAddress\n            marketingState\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: CustomerTagsRemoveMutation, variables: CustomerTagsRemoveMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
