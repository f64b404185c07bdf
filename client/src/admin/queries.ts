import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type AuditFilter,
  adminApi,
  type MailFilter,
  type NewUser,
  type Settings,
  type UserFilter,
  type UserPatch,
} from './api';

export const adminKeys = {
  all: ['admin'] as const,
  users: (filter: UserFilter) => ['admin', 'users', filter] as const,
  settings: ['admin', 'settings'] as const,
  demo: ['admin', 'demo'] as const,
  audit: (filter: AuditFilter) => ['admin', 'audit', filter] as const,
  mail: (filter: MailFilter) => ['admin', 'mail', filter] as const,
};

export function useAdminUsers(filter: UserFilter) {
  return useQuery({
    queryKey: adminKeys.users(filter),
    queryFn: ({ signal }) => adminApi.users(filter, signal),
    // Typing in the search keeps the last list on screen instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });
}

/** Every change shows in the audit log, so both lists are refreshed after one. */
function useInvalidateAdmin() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: adminKeys.all });
}

export function useCreateUser() {
  const invalidate = useInvalidateAdmin();
  return useMutation({ mutationFn: (body: NewUser) => adminApi.createUser(body), onSuccess: invalidate });
}

export function useUpdateUser() {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) => adminApi.updateUser(id, patch),
    onSuccess: invalidate,
  });
}

export function useSendPasswordReset() {
  const invalidate = useInvalidateAdmin();
  return useMutation({ mutationFn: (id: string) => adminApi.sendPasswordReset(id), onSuccess: invalidate });
}

export function useAdminSettings() {
  return useQuery({ queryKey: adminKeys.settings, queryFn: ({ signal }) => adminApi.settings(signal) });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: (patch: Partial<Settings>) => adminApi.updateSettings(patch),
    onSuccess: (settings) => {
      queryClient.setQueryData(adminKeys.settings, settings);
      // Ticket views show SLA clocks from the policy: let them refetch.
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      return invalidate();
    },
  });
}

export function useDemoStatus() {
  return useQuery({ queryKey: adminKeys.demo, queryFn: ({ signal }) => adminApi.demo(signal) });
}

export function useSetDemo() {
  const invalidate = useInvalidateAdmin();
  return useMutation({ mutationFn: (enabled: boolean) => adminApi.setDemo(enabled), onSuccess: invalidate });
}

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: adminKeys.audit(filter),
    queryFn: ({ signal }) => adminApi.audit(filter, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMailOutbox(filter: MailFilter) {
  return useQuery({
    queryKey: adminKeys.mail(filter),
    queryFn: ({ signal }) => adminApi.mail(filter, signal),
    placeholderData: keepPreviousData,
    // Queued mails leave the outbox within seconds: the list keeps up while it is open.
    refetchInterval: 10_000,
  });
}

export function useRetryMail() {
  const invalidate = useInvalidateAdmin();
  return useMutation({ mutationFn: (id: string) => adminApi.retryMail(id), onSuccess: invalidate });
}
