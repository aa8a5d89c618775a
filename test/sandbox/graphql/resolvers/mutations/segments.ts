import { gid } from "../../gid";
import { segmentQueryErrors } from "../../segment-query";
import { objectResolvers, propertyResolvers, type ResolverContext } from "../context";
import { idOf } from "../query-root";
import { attempt, userError } from "./user-errors";

function grammarErrors(query: string | null | undefined) {
  if (query === null || query === undefined || query.trim() === "") return [];
  return segmentQueryErrors(query).map((message) => userError(["query"], message));
}

function segmentCreate(context: ResolverContext, fieldName: string, name: string, query: string) {
  context.scopes.require("write_customers", fieldName);
  const invalid = grammarErrors(query);
  if (invalid.length > 0) return { segment: null, userErrors: invalid };
  const { result, userErrors } = attempt(() => context.shop.createSegment(name, query));
  return { segment: result, userErrors };
}

function segmentUpdate(context: ResolverContext, fieldName: string, id: string, name: string | null | undefined, query: string | null | undefined) {
  context.scopes.require("write_customers", fieldName);
  const segmentId = idOf(id, "Segment");
  const invalid = grammarErrors(query);
  if (invalid.length > 0) return { segment: null, userErrors: invalid };
  const patch = { ...(name != null ? { name } : {}), ...(query != null ? { query } : {}) };
  const { result, userErrors } = attempt(() => context.shop.updateSegment(segmentId, patch));
  return { segment: result, userErrors };
}

function segmentDelete(context: ResolverContext, fieldName: string, id: string) {
  context.scopes.require("write_customers", fieldName);
  const segmentId = idOf(id, "Segment");
  const { userErrors } = attempt(() => context.shop.deleteSegment(segmentId));
  return { deletedSegmentId: userErrors.length === 0 ? gid("Segment", segmentId) : null, userErrors };
}

export const segmentMutations = objectResolvers<unknown>({
  segmentCreate: (_root, args, context, info) => segmentCreate(context, info.fieldName, args.name as string, args.query as string),
  segmentUpdate: (_root, args, context, info) =>
    segmentUpdate(context, info.fieldName, args.id as string, args.name as string | null | undefined, args.query as string | null | undefined),
  segmentDelete: (_root, args, context, info) => segmentDelete(context, info.fieldName, args.id as string),
});

const segmentPayload = propertyResolvers<{ segment: unknown; userErrors: unknown }>("segment", "userErrors");

export const segmentPayloads = {
  SegmentCreatePayload: segmentPayload,
  SegmentUpdatePayload: segmentPayload,
  SegmentDeletePayload: propertyResolvers<{ deletedSegmentId: unknown; userErrors: unknown }>("deletedSegmentId", "userErrors"),
};
