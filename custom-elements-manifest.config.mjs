// custom-elements.json for @mes-kit/elements, from each component's JSDoc header (tags, events,
// parts, custom properties, states); CI checks it is up to date.
export default {
  globs: ['packages/elements/src/components/**/*.ts'],
  exclude: ['**/*.styles.ts', '**/mes-*.ts'],
  outdir: 'packages/elements',
  litelement: true,
  plugins: [
    {
      // Modules in path order: the file system lists folders in no fixed order, and the check is a diff.
      name: 'modules-in-path-order',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      },
    },
  ],
};
