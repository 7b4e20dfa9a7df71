// Moved to surveys/waves/wave-mailings.ts; this re-export remains only until
// server/routes/waves.ts imports from there (issue 16).
export * from './waves/wave-mailings';
