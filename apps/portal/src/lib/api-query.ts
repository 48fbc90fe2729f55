// The portal's query cache (TanStack Query): every GET a page makes goes through useApiQuery, keyed by the API
// path and its parameters, so two components asking for the same resource share one request and one answer,
// and an action that changes a resource invalidates the queries that show it (useInvalidate).
import {
  keepPreviousData,
  QueryClient,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type PathsFor, type ResponseOf } from '../api/client';

/** One cache for the whole portal; the tests make their own. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // An error is shown at once with its Retry button (as before the cache): no silent retries.
        retry: false,
        // Switching windows must not reload what a person is reading or editing.
        refetchOnWindowFocus: false,
        // A page keeps showing its previous answer while the next one (other period, filter…) loads.
        placeholderData: keepPreviousData,
      },
      mutations: { retry: false },
    },
  });
}

/** What a page reads from a query: the answer, the error, whether a request is under way. */
export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  /** A request is under way (the first or a reload); the previous data stays meanwhile. */
  loading: boolean;
  /** Asks again, keeping the current data on screen meanwhile. */
  reload: () => void;
  /** Puts an answer the API gave elsewhere (e.g. to a PUT) in the cache, for every reader of this query. */
  setData: (data: T) => void;
  /** When the data last changed (0 = never): for queries that depend on this one. */
  updatedAt: number;
}

type GetArgs<P extends PathsFor<'get'>> =
  Parameters<typeof api.get<P>> extends [unknown, ...infer R] ? R : never;
/** The path parameters and query of a GET (the `signal` is the cache's). */
export type GetOptions<P extends PathsFor<'get'>> = GetArgs<P>[0];

interface QueryOptions {
  /** false: wait (nothing is requested; a reload does nothing). */
  enabled?: boolean;
  /** Values the answer depends on besides the path and query: a change asks again. */
  dependsOn?: unknown[];
}

/** The cache key of a GET: its path template, then its path parameters and query. */
export function apiKey(
  path: string,
  options?: { path?: object; query?: object } | undefined,
  dependsOn: unknown[] = [],
): QueryKey {
  return [path, options?.path ?? {}, options?.query ?? {}, ...dependsOn];
}

/** A GET through the typed client, cached under apiKey(path, options). */
export function useApiQuery<P extends PathsFor<'get'>>(
  path: P,
  options: GetOptions<P>,
  { enabled = true, dependsOn }: QueryOptions = {},
): QueryState<ResponseOf<P, 'get'>> {
  const o = options as { path?: object; query?: object } | undefined;
  const get = api.get as (p: string, o?: object) => Promise<ResponseOf<P, 'get'>>;
  return useDataQuery(apiKey(path, o, dependsOn), (signal) => get(path, { ...o, signal }), { enabled });
}

/** A query whose answer is computed from several requests (or a public one); `key` names it in the cache. */
export function useDataQuery<T>(
  key: QueryKey,
  fn: (signal: AbortSignal) => Promise<T>,
  { enabled = true }: { enabled?: boolean } = {},
): QueryState<T> {
  const client = useQueryClient();
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => fn(signal), enabled });
  const { refetch } = q;
  const reload = useCallback(() => {
    if (enabled) void refetch();
  }, [enabled, refetch]);
  const setData = (data: T) => void client.setQueryData(key, data);
  return {
    // keepPreviousData also covers a query that turned disabled: what it showed stays, as before the cache
    data: q.data,
    error: q.error ?? undefined,
    loading: enabled && q.isFetching,
    reload,
    setData,
    updatedAt: q.dataUpdatedAt,
  };
}

/**
 * Marks every cached query of `path` (a GET's path template, or the first part of a useDataQuery key) whose
 * path parameters include `params` as stale; those on screen ask again.
 */
export function useInvalidate() {
  const client = useQueryClient();
  return useCallback(
    (path: PathsFor<'get'> | `query:${string}`, params?: object) =>
      void client.invalidateQueries({ queryKey: params ? [path, params] : [path] }),
    [client],
  );
}
