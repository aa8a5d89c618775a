import { unsupportedArgument } from "../../errors";
import type { StagedUploadTarget } from "../../files";
import { objectResolvers, propertyResolvers, type ResolverContext } from "../context";

interface StagedUploadInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: "POST" | "PUT" | null;
}

/** stagedUploadsCreate for bulk mutation variables, the one resource the sandbox stores. */
function stagedUploadsCreate(context: ResolverContext, fieldName: string, inputs: StagedUploadInput[]) {
  const stagedTargets = inputs.map((input) => {
    if (input.resource !== "BULK_MUTATION_VARIABLES") throw unsupportedArgument("Mutation", fieldName, `resource ${input.resource}`);
    return context.files.stageUpload({
      shopDomain: context.shop.info.domain,
      filename: input.filename,
      mimeType: input.mimeType,
      httpMethod: input.httpMethod ?? "PUT",
    });
  });
  return { stagedTargets, userErrors: [] };
}

export const stagedUploadMutations = objectResolvers<unknown>({
  stagedUploadsCreate: (_root, args, context, info) => stagedUploadsCreate(context, info.fieldName, args.input as StagedUploadInput[]),
});

export const stagedUploadPayloads = {
  StagedUploadsCreatePayload: propertyResolvers<{ stagedTargets: unknown; userErrors: unknown }>("stagedTargets", "userErrors"),
  StagedMediaUploadTarget: propertyResolvers<StagedUploadTarget>("url", "resourceUrl", "parameters"),
  StagedUploadParameter: propertyResolvers<{ name: string; value: string }>("name", "value"),
};
