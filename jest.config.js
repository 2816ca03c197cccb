/** Type checking is `npm run typecheck`; jest only strips types, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 20000,
  // A failed beforeAll can leave a server listening; CI must still end instead of waiting forever.
  forceExit: true,
};
