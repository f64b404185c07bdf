import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Redis } from 'ioredis';
import { MediaServer } from '../media/MediaServer';
import { socketCallChannel, socketPresence } from '../signaling/callChannel';
import { createBoardHandlers } from '../signaling/handlers/board';
import { createCallHandlers } from '../signaling/handlers/call';
import { createChatHandlers } from '../signaling/handlers/chat';
import { createPresenceHandlers, socketPresenceConnections } from '../signaling/handlers/presence';
import { createRecordingHandlers } from '../signaling/handlers/recording';
import { attachNotifications } from '../signaling/notify';
import { attachRealtime } from '../signaling/realtime';
import { attachSignaling, serveHandlers } from '../signaling/server';
import { socketSessionEnds } from '../signaling/sessionEnds';
import { createSessionLifetime } from '../signaling/sessionLifetime';
import type { LivedeskServer } from '../signaling/types';
import { Invitations } from './accounts/invitations';
import { PasswordLinks } from './accounts/passwords';
import { AccountRequestLimiter } from './accounts/requestLimiter';
import { accountRoutes } from './accounts/routes';
import { Signup } from './accounts/signup';
import { SignupSetting } from './accounts/signupSetting';
import { attachmentRoutes } from './attachments/routes';
import { AttachmentsService } from './attachments/service';
import { AttachmentStorage } from './attachments/storage';
import { AttachmentSweeper } from './attachments/sweeper';
import { AuditRepository, auditRoutes } from './audit';
import { LoginRateLimiter } from './auth/loginRateLimiter';
import { sessionRoutes } from './auth/routes';
import { resolveJwtSecret } from './auth/secret';
import { AuthSessions } from './auth/sessions';
import { AuthSessionsRepository } from './auth/sessionsRepository';
import { SignedLinks } from './auth/signedLinks';
import { TokenService } from './auth/tokens';
import { boardRoutes } from './boards/routes';
import { BoardsService } from './boards/service';
import { createBot, createBotHold } from './bot';
import type { Assistant } from './bot/service';
import { callRequestRoutes } from './callRequests/routes';
import { CallRequests } from './callRequests/service';
import { callRoomsOf, MediaSession } from './calls/mediaSession';
import { CallsRepository } from './calls/repository';
import { callRoutes } from './calls/routes';
import { CallsService } from './calls/service';
import { type Clock, systemClock } from './clock';
import type { Config } from './config';
import { CustomersRepository } from './customers/repository';
import { customerRoutes } from './customers/routes';
import { CustomerContextService } from './customers/service';
import { type DatabaseHandle, openDatabase } from './db/client';
import { EventBus } from './events/bus';
import { createFeedback, type Feedback, FeedbackRepository } from './feedback';
import { createHelp, type Help } from './help';
import { mountHttpPipeline } from './http/pipeline';
import type { RouteDefinition } from './http/route';
import { CLIENT_DIST } from './http/webClient';
import { UserLimits } from './limits/userLimits';
import { createLogger, type Logger } from './logger';
import { MacrosRepository } from './macros/repository';
import { macroRoutes } from './macros/routes';
import { MacrosService } from './macros/service';
import { createMail, type Mailer, type MailOutbox, mailRoutes } from './mail';
import { CustomerMail } from './notifications/customerMail';
import { NotificationsRepository } from './notifications/repository';
import { notificationRoutes } from './notifications/routes';
import { NotificationsService } from './notifications/service';
import { PlaybooksRepository } from './playbooks/repository';
import { playbookRoutes } from './playbooks/routes';
import { PlaybooksService } from './playbooks/service';
import { ComposerPreferencesRepository, preferenceRoutes } from './preferences/routes';
import { PresenceRepository } from './presence/repository';
import { presenceRoutes } from './presence/routes';
import { PresenceTracker } from './presence/tracker';
import { BulkActions } from './queues/bulk';
import { QueueRepository } from './queues/repository';
import { queueRoutes } from './queues/routes';
import { QueueService } from './queues/service';
import { recordingRoutes } from './recordings/routes';
import { RecordingsService } from './recordings/service';
import { connectRedis } from './redis';
import { createReports } from './reports';
import { settingsRoutes } from './settings/routes';
import { SettingsService } from './settings/service';
import { UrgencyRules, urgencyRoutes } from './settings/urgency';
import { SlaMonitor } from './sla/monitor';
import { MessagesService, sendPacingFor } from './tickets/messages';
import { TicketsRepository } from './tickets/repository';
import { ticketRoutes } from './tickets/routes';
import { SearchDocuments } from './tickets/searchDocuments';
import { TicketsService } from './tickets/service';
import { accountMail } from './users/accountMail';
import { UserAdmin } from './users/admin';
import { adminUserRoutes } from './users/adminRoutes';
import { type DemoLogin, seedDemoAccounts } from './users/demoAccounts';
import { DemoSwitch } from './users/demoSwitch';
import { UsersRepository } from './users/repository';
import { userRoutes } from './users/routes';
import { activeUser, UsersService } from './users/service';
import { createWidget } from './widget';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { CLIENT_DIST } from './http/webClient';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;

export interface LivedeskApp {
  config: Config;
  logger: Logger;
  db: DatabaseHandle;
  redis: Redis | undefined;
  media: MediaServer;
  io: LivedeskServer;
  httpServer: http.Server;
  users: UsersService;
  tokens: TokenService;
  sessions: AuthSessions;
  bus: EventBus;
  tickets: TicketsService;
  messages: MessagesService;
  settings: SettingsService;
  sla: SlaMonitor;
  calls: CallsService;
  boards: BoardsService;
  recordings: RecordingsService;
  /** CSAT for tickets and calls, low-score follow-ups, NPS. */
  feedback: Feedback;
  /** The help centre: articles, search, article tasks, deflection. */
  help: Help;
  /** The Livedesk assistant: answers from the help centre until a person takes over. */
  assistant: Assistant;
  /** Outgoing mail: the outbox (sent in the background, retried) and the mailer domains use. */
  mail: { outbox: MailOutbox; mailer: Mailer };
  /** Single-use, expiring links that mails carry (password reset, invitation). */
  links: SignedLinks;
  /** `sendInvitation(userId, invitedBy)`: mails a set-your-password link to a new account. */
  invitations: Invitations;
  /** Mails customers who are away: agents' replies (coalesced) and the CSAT question. */
  customerMail: CustomerMail;
  /** Tickets' search documents: call `customerChanged` when a customer's name or e-mail changes. */
  searchDocuments: SearchDocuments;
  /** Staff presence: connections, idle time, calls and the manual choice. */
  presence: PresenceTracker;
  /** Read markers, unread counts, notification settings. */
  notifications: NotificationsService;
  /** Per-person limits on chat, typing and board backgrounds (refusals and drops: `stats()`). */
  limits: UserLimits;
  /** Deletes uploads never claimed by a ticket or message. */
  attachmentSweeper: AttachmentSweeper;
  /** Logins created on this start (first start of an embedded install only); print them once. */
  demoLogins: DemoLogin[];
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

/**
 * The composition root: builds every service from the config and wires HTTP, socket.io and the
 * media server onto one port. Nothing else constructs services, so tests get exactly the
 * production wiring by calling this with their own config.
 */
export async function createApp(
  config: Config,
  options: {
    logger?: Logger;
    /** The clock calls ring and wait on; tests pass their own to move time themselves. */
    clock?: Clock;
  } = {},
): Promise<LivedeskApp> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(config);
  let media: MediaServer | undefined;
  let redis: Redis | undefined;
  try {
    if (config.redis) redis = await connectRedis(config.redis.url, logger);
    const tokens = new TokenService(
      await resolveJwtSecret(config, db.db),
      config.auth.tokenTtlSeconds,
      clock,
    );
    const limiter = new LoginRateLimiter(config.auth.login, redis, config.redis?.keyPrefix);
    const usersRepo = new UsersRepository(db.db);
    const sessions = new AuthSessions(
      new AuthSessionsRepository(db.db),
      tokens,
      config.auth.session,
      clock,
      (id) => activeUser(usersRepo, id),
    );
    const users = new UsersService(usersRepo, sessions, limiter);
    const demoLogins = config.seedDemo ? await seedDemoAccounts(db.db, users, config.demoPassword) : [];
    media = await MediaServer.create(
      {
        numWorkers: config.media.numWorkers,
        logLevel: config.media.logLevel,
        listenIps: config.media.listenIps,
        rtcMinPort: config.media.rtcMinPort,
        rtcMaxPort: config.media.rtcMaxPort,
      },
      logger.child({ component: 'media' }),
    );

    // Links in mails need an origin: PUBLIC_URL, or the address this server ends up listening on.
    let ownOrigin = `http://localhost:${config.port}`;
    const mail = createMail({
      db: db.db,
      config: config.mail,
      clock,
      logger: logger.child({ component: 'mail' }),
      ownOrigin: () => ownOrigin,
    });
    const links = new SignedLinks(db.db, clock);
    const invitations = new Invitations(usersRepo, links, mail.mailer, config.mail.invitationTtlMs);

    const bus = new EventBus(logger.child({ component: 'events' }));
    const settings = new SettingsService(db.db, {
      recordingPolicy: {
        autoPriorities: config.recordings.autoPriorities,
        autoTiers: config.recordings.autoTiers,
        requireConsent: config.recordings.requireConsent,
        retentionDays: config.recordings.retentionDays,
      },
    });
    const ticketsRepo = new TicketsRepository(db.db);
    const urgencyRules = new UrgencyRules(db.db);
    const botParts = createBotHold(db.db);
    const tickets = new TicketsService(ticketsRepo, bus, settings, urgencyRules, clock, botParts.hold);
    const messages = new MessagesService(ticketsRepo, tickets, bus, sendPacingFor(db.kind));
    const bot = createBot({
      parts: botParts,
      tickets,
      ticketsRepo,
      messages,
      bus,
      clock,
      logger: logger.child({ component: 'bot' }),
    });
    const searchDocuments = new SearchDocuments(ticketsRepo, logger.child({ component: 'search' }), {
      vacuum: db.kind === 'pglite',
    });
    // Tickets from before the search documents existed (an upgrade) get theirs before anyone searches.
    await searchDocuments.backfill();
    searchDocuments.start(bus);
    const queue = new QueueService(new QueueRepository(db.db), tickets);
    const bulk = new BulkActions(tickets, logger.child({ component: 'queue' }));
    const customerContext = new CustomerContextService(new CustomersRepository(db.db), tickets);
    const attachmentStorage = new AttachmentStorage(path.join(config.dataDir, 'attachments'));
    const attachments = new AttachmentsService(db.db, ticketsRepo, attachmentStorage, config.attachments);
    const attachmentSweeper = new AttachmentSweeper(
      db.db,
      attachmentStorage,
      config.attachments.unclaimedTtlMs,
      clock,
      logger.child({ component: 'attachments' }),
    );
    const limits = new UserLimits(config.limits);
    // A call's records, and the tickets and people its views read, through the database's urgent
    // lane: each step of a call's set-up waits for the last, and must not queue behind the chat.
    const callsRepo = new CallsRepository(db.urgentDb);
    const callTicketsRepo = new TicketsRepository(db.urgentDb);
    const boards = new BoardsService(
      db.db,
      ticketsRepo,
      callsRepo,
      attachments,
      bus,
      logger.child({ component: 'boards' }),
    );
    const sla = new SlaMonitor(db.db, ticketsRepo, settings, bus, logger.child({ component: 'sla' }));
    // Recordings are the call's too: a join reads whether one is running (`noticeFor`).
    const recordings = new RecordingsService(
      db.urgentDb,
      ticketsRepo,
      callsRepo,
      media,
      bus,
      config.recordings,
      logger.child({ component: 'recordings' }),
      async () => (await settings.get()).recordingPolicy,
    );

    // socket.io first (nothing connects before listen()): the services that reach sockets get it
    // through small adapters (presence, the call's media fan-out) by constructor.
    const app = express();
    const httpServer = http.createServer(app);
    const signalingLogger = logger.child({ component: 'signaling' });
    const io = attachSignaling(httpServer, {
      logger: signalingLogger,
      origin: { allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy },
      authenticate: (token) => sessions.authenticate(token),
      ...(redis && config.redis ? { redis: { client: redis, keyPrefix: config.redis.keyPrefix } } : {}),
    });
    const calls = new CallsService(
      callsRepo,
      callTicketsRepo,
      bus,
      callRoomsOf(media),
      socketPresence(io),
      config.calls,
      clock,
      logger.child({ component: 'calls' }),
      // Recording stops while media still flows, so FFmpeg can finish its files.
      [(callId) => recordings.stop(null, callId)],
    );
    const mediaSession = new MediaSession(
      media,
      calls,
      socketCallChannel(io),
      (callId) => recordings.noticeFor(callId),
      clock,
      logger.child({ component: 'call-media' }),
    );
    const presenceRepo = new PresenceRepository(db.db);
    const presence = new PresenceTracker(presenceRepo, socketPresenceConnections(io), bus, {
      idleMs: config.presence.idleMs,
      clock,
      logger: logger.child({ component: 'presence' }),
      onOnline: (userId) => tickets.pickUpWaiting(userId),
    });
    const notifications = new NotificationsService(new NotificationsRepository(db.db), tickets, bus);
    const sessionEnds = socketSessionEnds(io);
    const userAdmin = new UserAdmin(
      db.db,
      sessions,
      sessionEnds,
      accountMail({
        users: usersRepo,
        links,
        mailer: mail.mailer,
        invitations,
        resetTtlMs: config.mail.passwordResetTtlMs,
      }),
      (user) => searchDocuments.customerChanged(user),
    );
    const demoSwitch = new DemoSwitch(db.db, sessions, sessionEnds);
    const lifetime = createSessionLifetime({
      authenticate: (token) => sessions.authenticate(token),
      clock,
      logger: signalingLogger,
    });
    serveHandlers(io, { logger: signalingLogger, lifetime }, [
      ...createChatHandlers({ tickets, messages, limits, logger: signalingLogger }),
      ...createCallHandlers({ calls, session: mediaSession, logger: signalingLogger }),
      ...createBoardHandlers({ boards, limits, logger: signalingLogger }),
      ...createRecordingHandlers({ recordings, logger: signalingLogger }),
      ...createPresenceHandlers({ tracker: presence, logger: signalingLogger }),
    ]);

    const accountLimiter = new AccountRequestLimiter(redis, config.redis?.keyPrefix);
    const signupSetting = new SignupSetting(db.db, config.mail.signupDefault);
    const passwordLinks = new PasswordLinks(
      db.db,
      usersRepo,
      links,
      mail.mailer,
      sessions,
      sessionEnds,
      accountLimiter,
      config.mail.passwordResetTtlMs,
      logger.child({ component: 'accounts' }),
    );

    const feedbackRepo = new FeedbackRepository(db.db);
    const feedback = createFeedback({
      repo: feedbackRepo,
      tickets,
      ticketsRepo,
      callsRepo,
      bus,
      config: config.feedback,
      clock,
      logger: logger.child({ component: 'feedback' }),
      links,
      tokens,
      resolveUser: (id) => users.resolveActor(id),
    });

    const help = createHelp({
      db: db.db,
      imagesDir: path.join(config.dataDir, 'help-images'),
      ticketsRepo,
      attachments,
      bus,
      clock,
      logger: logger.child({ component: 'help' }),
    });

    const customerMail = new CustomerMail({
      bus,
      presence: socketPresence(io),
      tickets: ticketsRepo,
      users: usersRepo,
      feedback: feedbackRepo,
      surveyLink: (customerId, ticketId) => feedback.surveyLinks.issue(customerId, ticketId),
      mailer: mail.mailer,
      clock,
      replyCoalesceMs: config.mail.replyCoalesceMs,
      logger: logger.child({ component: 'customer-mail' }),
    });

    const macros = new MacrosService(new MacrosRepository(db.db), tickets, ticketsRepo);
    const playbooks = new PlaybooksService(
      new PlaybooksRepository(db.db),
      ticketsRepo,
      feedback.followUps,
      bus,
      clock,
      logger.child({ component: 'playbooks' }),
    );
    if (config.seedDemo) await playbooks.seedDefault();
    const stopPlaybooks = playbooks.listen();

    const widget = createWidget({
      db: db.db,
      users: usersRepo,
      usersService: users,
      sessions,
      limiter: accountLimiter,
      clientDist: CLIENT_DIST,
      logger: logger.child({ component: 'widget' }),
    });

    const callRequests = new CallRequests({
      ...{ db: db.db, tickets, ticketsRepo, calls, callsRepo, bus, clock, ringMs: config.calls.ringMs },
      policy: async () => ({ priorities: (await widget.settings.get()).callRequestPriorities }),
      redis: redis && config.redis ? { client: redis, keyPrefix: config.redis.keyPrefix } : undefined,
      logger: logger.child({ component: 'call-requests' }),
    });

    const routes: RouteDefinition[] = [
      ...widget.routes,
      ...callRequestRoutes(callRequests),
      ...userRoutes(users, userAdmin),
      ...adminUserRoutes(userAdmin, demoSwitch),
      ...sessionRoutes({ sessions, tokens, ends: sessionEnds }),
      ...accountRoutes({
        signup: new Signup(usersRepo, sessions, signupSetting, accountLimiter),
        setting: signupSetting,
        passwords: passwordLinks,
        invitations,
      }),
      ...ticketRoutes(tickets, messages, limits),
      ...attachmentRoutes(attachments),
      // With the monitor running, a new SLA policy re-arms every open ticket's timers at once.
      ...settingsRoutes(settings, () => {
        if (config.sla.intervalMs > 0)
          void sla.runOnce().catch((err) => logger.error({ err }, 'SLA pass after a policy change failed'));
      }),
      ...auditRoutes(new AuditRepository(db.db)),
      ...mailRoutes(mail.admin),
      ...boardRoutes(boards),
      ...recordingRoutes(recordings, { tokens, resolveUser: (id) => users.resolveActor(id) }),
      ...callRoutes(calls),
      ...presenceRoutes(presence, presenceRepo),
      ...notificationRoutes(notifications),
      ...feedback.routes,
      ...help.routes,
      ...bot.routes,
      ...queueRoutes(queue, bulk),
      ...customerRoutes(customerContext),
      ...macroRoutes(macros),
      ...playbookRoutes(playbooks),
      ...urgencyRoutes(urgencyRules),
      ...preferenceRoutes(new ComposerPreferencesRepository(db.db)),
      ...createReports({ db: db.db, clock, rubricSize: config.recordings.rubric.length }).routes,
    ];
    mountHttpPipeline(app, {
      routes,
      version: VERSION,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
      sessions,
      health: { db, media, redis },
      beforeApi: (app) => widget.mount(app),
      logger,
    });

    const recovered = await recordings.recover();
    if (recovered.length > 0) {
      logger.warn({ recordings: recovered }, 'concluded recordings interrupted by the last shutdown');
    }
    await calls.recoverUnfinished();
    // Follow-ups that passed their deadline while the server was down are marked now.
    await feedback.followUps.start();
    // Article tasks that went overdue while the server was down are told now.
    await help.overdueTasks.start();
    const retention = setInterval(
      () => void recordings.sweepRetention().catch((err) => logger.error({ err }, 'retention sweep failed')),
      3_600_000,
    );
    retention.unref();
    attachmentSweeper.start();
    mail.outbox.start();
    customerMail.start();
    attachRealtime(io, bus, { viewTicket: (id) => tickets.viewById(id), logger });
    attachNotifications(io, bus, {
      viewTicket: (id) => tickets.viewById(id),
      workersOf: (id) => notifications.workersOf(id),
      logger: logger.child({ component: 'notifications' }),
    });
    // A crash or restart leaves people "online" in the database; whoever has no tab left is not.
    await presence.reconcile();
    if (config.sla.intervalMs > 0) void sla.start(config.sla.intervalMs);

    const mediaServer = media;
    let closing: Promise<void> | undefined;
    return {
      config,
      logger,
      db,
      redis,
      media: mediaServer,
      io,
      httpServer,
      users,
      tokens,
      sessions,
      bus,
      tickets,
      messages,
      settings,
      sla,
      calls,
      boards,
      recordings,
      feedback,
      help,
      assistant: bot.assistant,
      mail,
      links,
      invitations,
      customerMail,
      searchDocuments,
      presence,
      notifications,
      limits,
      attachmentSweeper,
      demoLogins,
      listen: () =>
        new Promise((resolve, reject) => {
          httpServer.once('error', reject);
          httpServer.listen(config.port, config.host, () => {
            const { port } = httpServer.address() as AddressInfo;
            const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
            ownOrigin = `http://${host}:${port}`;
            resolve({ url: config.publicUrl ?? `http://${host}:${port}`, port });
          });
        }),
      close: () => {
        closing ??= (async () => {
          sla.stop();
          await sla.idle();
          stopPlaybooks();
          bot.stop();
          await bot.assistant.idle();
          help.overdueTasks.stop();
          await help.overdueTasks.idle();
          feedback.followUps.stop();
          await feedback.followUps.idle();
          clearInterval(retention);
          attachmentSweeper.stop();
          await attachmentSweeper.idle().catch(() => 0);
          customerMail.stop();
          await customerMail.idle();
          searchDocuments.stop();
          await searchDocuments.idle();
          mail.outbox.stop();
          await mail.outbox.idle();
          for (const callId of recordings.activeCallIds())
            await recordings.stop(null, callId).catch(() => {});
          calls.stop();
          callRequests.stop();
          presence.stop();
          await boards.stop();
          // io.close() also closes the HTTP server.
          await new Promise<void>((resolve) => io.close(() => resolve()));
          mediaServer.close();
          await presence.idle();
          // Chat sends taken before the sockets closed reach the database before it closes.
          await messages.idle();
          await redis?.quit().catch(() => redis?.disconnect());
          await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    media?.close();
    redis?.disconnect();
    await db.close();
    throw err;
  }
}
