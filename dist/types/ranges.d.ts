/** The values a numeric setting may take. */
export interface Range {
    /** The smallest value allowed; excluded itself when `aboveMin` is set. */
    min: number;
    aboveMin?: boolean;
    max: number;
    wholeNumber?: boolean;
}
/**
 * The ranges of the numeric settings, one place for the action's inputs,
 * the command line's flags and the library's options.
 */
export declare const RANGES: {
    readonly httpTimeoutSeconds: {
        readonly min: 0;
        readonly aboveMin: true;
        readonly max: 3600;
    };
    readonly httpRetries: {
        readonly min: 0;
        readonly max: 10;
        readonly wholeNumber: true;
    };
    readonly waitTimeoutSeconds: {
        readonly min: 0;
        readonly max: 86400;
    };
    readonly pollIntervalSeconds: {
        readonly min: 1;
        readonly max: 3600;
    };
};
export declare function isInRange(value: number, range: Range): boolean;
/** "above 0", or "from 1": where the range starts, for messages. */
export declare function lowerBound(range: Range): string;
