export declare const BUILD_INPUT_FOLDERS: readonly string[];
export declare const BUILD_INPUT_FILES: readonly string[];
export declare const BUILD_STAMP: string;
export declare function buildInputsDigest(root: string): string;
export declare function isBuildCurrent(root: string, dist?: string): boolean;
