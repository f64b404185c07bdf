import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './lib/api';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Retry only what may heal on its own; a 401 or 403 will not get better by asking again.
      retry: (failureCount, error) =>
        failureCount < 2 && isApiError(error) && (error.code === 'network' || error.code === 'unavailable'),
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

export const ME_QUERY_KEY = ['auth', 'me'] as const;
