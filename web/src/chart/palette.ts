/**
 * Okabe & Ito's palette (2008), distinguishable with every common colour-vision deficiency; black is left out
 * (it reads as text), grey is kept for "Others".
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const;
export const OTHERS_COLOUR = '#8c8c8c';
