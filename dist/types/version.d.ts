/** This action's version, as package.json gives it. */
export declare const ACTION_VERSION: string;
export declare const USER_AGENT: string;
