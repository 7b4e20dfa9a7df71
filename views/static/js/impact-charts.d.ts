// Types for the shared chart plugin (plain JavaScript, served to the browser as is).
import type { Plugin } from 'chart.js';
export declare const impactPlugin: Plugin;
export declare function prepareSpec<T>(spec: T): T;
