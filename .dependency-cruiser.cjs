// The allowed direction of imports between the top-level folders (issue 15, docs/architecture.md
// "Dependency direction"). `npm run lint:deps` (part of `npm test`) fails on any import against it.
//
//   signaling/shared/  the leaf: wire protocol, domain vocabulary, limits, board merge rule.
//                      Imports nothing of the app; everyone may import it.
//   media/             the SFU (mediasoup). Imports only the leaf.
//   server/            domain services, HTTP, database. Imports media/ and the leaf; the
//                      composition root (server/app.ts) is the one file that also wires signaling/.
//   signaling/         socket adapters over the server's services. Imports server/ and the leaf,
//                      never media/ directly (the server's call media session owns mediasoup).
//   client/            the browser app. Imports only the leaf.
const LEAF = '^signaling/shared/';
const APP = '^(server|media|signaling|client)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'leaf-imports-nothing-of-the-app',
      comment:
        'signaling/shared/ is imported by the browser and by every server layer, so it may import only itself (and npm types).',
      severity: 'error',
      from: { path: LEAF },
      to: { path: APP, pathNot: LEAF },
    },
    {
      name: 'leaf-imports-no-runtime-package',
      comment:
        'The leaf is bundled into the browser and the server alike: only type-only imports of packages.',
      severity: 'error',
      from: { path: LEAF },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'media-imports-only-the-leaf',
      comment: 'media/ is the bottom layer: the server drives it through its own interfaces.',
      severity: 'error',
      from: { path: '^media/' },
      to: { path: '^(server|signaling|client)/', pathNot: LEAF },
    },
    {
      name: 'server-imports-no-signaling',
      comment:
        'Domain services do not know about sockets; signaling/ adapts them. Only the composition root (server/app.ts) wires signaling/.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/app[.]ts$' },
      to: { path: '^(signaling|client)/', pathNot: LEAF },
    },
    {
      name: 'signaling-goes-through-the-server',
      comment:
        'Socket handlers call server services; mediasoup objects stay behind the server’s call media session.',
      severity: 'error',
      from: { path: '^signaling/', pathNot: LEAF },
      to: { path: '^(media|client)/', pathNot: LEAF },
    },
    {
      name: 'client-imports-only-the-leaf',
      comment: 'The browser bundle shares only the leaf with the server.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|media|signaling)/', pathNot: LEAF },
    },
    {
      name: 'no-cycles-between-layers',
      comment: 'A cycle through two folders means a layer knows about the one above it.',
      severity: 'error',
      from: { path: APP },
      to: { circular: true, viaOnly: { path: APP } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    exclude: { path: '^(node_modules|dist|data)/' },
  },
};
