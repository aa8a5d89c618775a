import type { GraphQLResolveInfo } from "graphql";
import type { SandboxSegment } from "../../store/model";
import { connectionOf, type ConnectionArgs } from "../connection";
import { unsupportedArgument } from "../errors";
import { gid } from "../gid";
import { dateTerm, textTerm } from "../query-filter";
import { objectResolvers, type Args, type ResolverContext } from "./context";
import { searchFilter } from "./search";

const SORT_VALUES: Record<string, (segment: SandboxSegment) => number | string> = {
  ID: (segment) => segment.id,
  RELEVANCE: (segment) => segment.id,
  CREATION_DATE: (segment) => segment.creationDate,
  LAST_EDIT_DATE: (segment) => segment.lastEditDate,
};

export function segmentConnection(context: ResolverContext, info: GraphQLResolveInfo, args: Args) {
  const sortKey = (args.sortKey as string | undefined) ?? "CREATION_DATE";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw unsupportedArgument(info.parentType.name, info.fieldName, `sortKey ${sortKey}`);
  const matches = searchFilter<SandboxSegment>(context, info, args.query, () => ({
    fields: {
      name: textTerm((segment) => segment.name),
      created_at: dateTerm((segment) => segment.creationDate),
      updated_at: dateTerm((segment) => segment.lastEditDate),
    },
    text: (segment, value) => segment.name.toLowerCase().includes(value.toLowerCase()),
  }));
  return connectionOf(context.shop.segments().filter(matches), args as ConnectionArgs, { sortValue, idOf: (segment) => segment.id });
}

export const segmentResolvers = {
  Segment: objectResolvers<SandboxSegment>({
    id: (segment) => gid("Segment", segment.id),
    name: (segment) => segment.name,
    query: (segment) => segment.query,
    creationDate: (segment) => segment.creationDate,
    lastEditDate: (segment) => segment.lastEditDate,
  }),
};
