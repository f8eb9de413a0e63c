// custom-elements.json for @mes-kit/elements, from each component's JSDoc header (tags, events,
// parts, custom properties, states); CI checks it is up to date.
export default {
  globs: ['packages/elements/src/components/**/*.ts'],
  exclude: ['**/*.styles.ts', '**/mes-*.ts'],
  outdir: 'packages/elements',
  litelement: true,
};
