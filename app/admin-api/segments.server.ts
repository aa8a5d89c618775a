import type { ManagedSegmentCreateMutation, ManagedSegmentUpdateMutation } from "~/types/admin.generated";
import { assertNoUserErrors, type AdminApi } from "./client.server";

export const SEGMENT_CREATE_MUTATION = `#graphql
  mutation ManagedSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_UPDATE_MUTATION = `#graphql
  mutation ManagedSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export async function createSegment(api: AdminApi, name: string, query: string) {
  const data = await api.request<ManagedSegmentCreateMutation>(SEGMENT_CREATE_MUTATION, { name, query });
  const payload = assertNoUserErrors("segmentCreate", data.segmentCreate);
  if (!payload.segment) throw new Error("segmentCreate returned no segment");
  return payload.segment;
}

export async function updateSegment(api: AdminApi, id: string, name: string, query: string) {
  const data = await api.request<ManagedSegmentUpdateMutation>(SEGMENT_UPDATE_MUTATION, { id, name, query });
  const payload = assertNoUserErrors("segmentUpdate", data.segmentUpdate);
  if (!payload.segment) throw new Error("segmentUpdate returned no segment");
  return payload.segment;
}
