import { auditContextOf } from '../audit/record';
import { forbidden } from '../errors';
import { defineRoute } from '../http/route';
import type { WidgetGuests } from './guests';
import {
  guestBodySchema,
  widgetConfigSchema,
  widgetRefreshBodySchema,
  widgetSessionSchema,
  widgetSignInBodySchema,
} from './schemas';
import { type WidgetSettingsStore, widgetSettingsSchema } from './settings';

export function widgetRoutes(deps: { settings: WidgetSettingsStore; guests: WidgetGuests }) {
  const { settings, guests } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/widget/config',
      summary:
        "The loader's question from a customer's site: may this origin show the widget? CORS answers only for the allowed origins; others get 403",
      tag: 'widget',
      access: 'public',
      response: widgetConfigSchema,
      handler: async ({ req }) => {
        const current = await settings.get();
        const origin = req.headers.origin;
        if (origin !== undefined && !current.allowedOrigins.includes(origin)) {
          throw forbidden(`The Livedesk widget is not allowed on ${origin}: an administrator can add it.`);
        }
        return { guestChat: current.guestChat };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/admin/widget',
      summary: 'The widget settings: allowed origins and guest chat (admins)',
      tag: 'widget',
      access: ['admin'],
      response: widgetSettingsSchema,
      handler: () => settings.get(),
    }),
    defineRoute({
      method: 'put',
      path: '/api/admin/widget',
      summary: 'Set the origins allowed to embed the widget and whether guests may chat (admins; audited)',
      tag: 'widget',
      access: ['admin'],
      body: widgetSettingsSchema,
      response: widgetSettingsSchema,
      handler: ({ body, actor, req }) => settings.set(body, auditContextOf(actor, req)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/widget/guest',
      summary:
        'Start chatting as a guest: a customer account for this name and e-mail, signed in (403 while guest chat is off, 409 when the e-mail has an account, rate limited per address)',
      tag: 'widget',
      access: 'public',
      status: 201,
      body: guestBodySchema,
      response: widgetSessionSchema,
      handler: ({ body, req }) => guests.start(body, req.ip ?? 'unknown'),
    }),
    defineRoute({
      method: 'post',
      path: '/api/widget/session',
      summary: 'A customer signs in inside the widget (staff are refused: 403)',
      tag: 'widget',
      access: 'public',
      status: 201,
      body: widgetSignInBodySchema,
      response: widgetSessionSchema,
      handler: ({ body, req }) => guests.signIn(body.email, body.password, req.ip ?? 'unknown'),
    }),
    defineRoute({
      method: 'post',
      path: '/api/widget/session/refresh',
      summary:
        "Renew the widget's session with the refresh token it holds (rotated; the iframe gets no cookie on another site's page)",
      tag: 'widget',
      access: 'public',
      body: widgetRefreshBodySchema,
      response: widgetSessionSchema,
      handler: ({ body }) => guests.renew(body.refreshToken),
    }),
  ];
}
