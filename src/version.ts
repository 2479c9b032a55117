import packageJson from '../package.json' with { type: 'json' };

/** This action's version, as package.json gives it. */
export const ACTION_VERSION: string = packageJson.version;

export const USER_AGENT = `vdk-execution-skip/${ACTION_VERSION}`;
