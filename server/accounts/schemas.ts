import { z } from 'zod';
import { emailSchema } from '../users/schemas';
import { text } from '../validation';

const tokenSchema = z
  .string()
  .min(1, 'is required')
  .max(100)
  .meta({ description: 'The token from the link in the mail (its `token` query parameter)' });
const newPassword = z.string().min(10, 'must be at least 10 characters').max(1024);

export const signupBodySchema = z
  .object({
    email: emailSchema,
    name: text().trim().min(1, 'is required').max(120),
    password: newPassword,
    locale: z.enum(['en', 'zh-CN']).default('en'),
  })
  .strict()
  .meta({ id: 'SignupRequest' });

export const forgotPasswordBodySchema = z
  .object({ email: emailSchema })
  .strict()
  .meta({ id: 'ForgotPasswordRequest' });
export const forgotPasswordResponseSchema = z.object({ accepted: z.literal(true) }).meta({
  id: 'ForgotPasswordResponse',
  description: 'The same answer whether or not the address has an account',
});

export const linkPurposeSchema = z.enum(['password_reset', 'invitation']);

export const inspectLinkBodySchema = z
  .object({ purpose: linkPurposeSchema, token: tokenSchema })
  .strict()
  .meta({ id: 'InspectLinkRequest' });
export const linkOwnerSchema = z
  .object({ email: z.string(), name: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'LinkOwner' });

export const setPasswordBodySchema = z
  .object({ token: tokenSchema, password: newPassword })
  .strict()
  .meta({ id: 'SetPasswordRequest' });
export const setPasswordResponseSchema = z
  .object({ email: z.string() })
  .meta({ id: 'SetPasswordResponse', description: 'Sign in with this address and the new password' });

export const signupSettingSchema = z.object({ enabled: z.boolean() }).strict().meta({ id: 'SignupSetting' });

export const invitationResponseSchema = z
  .object({ expiresAt: z.iso.datetime() })
  .meta({ id: 'InvitationSent' });
