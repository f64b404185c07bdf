import { z } from 'zod';
import { emailSchema, publicUserSchema } from '../users/schemas';
import { text } from '../validation';

export const guestBodySchema = z
  .object({
    name: text().trim().min(1, 'is required').max(120),
    email: emailSchema,
    locale: z.enum(['en', 'zh-CN']).default('en'),
  })
  .strict()
  .meta({ id: 'WidgetGuestRequest' });

export const widgetSignInBodySchema = z
  .object({ email: emailSchema, password: z.string().min(1, 'is required').max(1024) })
  .strict()
  .meta({ id: 'WidgetSignInRequest' });

export const widgetRefreshBodySchema = z
  .object({ refreshToken: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'is not a refresh token') })
  .strict()
  .meta({ id: 'WidgetRefreshRequest' });

export const widgetSessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.iso.datetime(),
    user: publicUserSchema,
    refreshToken: z.string(),
  })
  .meta({ id: 'WidgetSession' });

export const widgetConfigSchema = z
  .object({ guestChat: z.boolean() })
  .meta({ id: 'WidgetConfig', description: 'What the loader on an allowed site needs to know' });
