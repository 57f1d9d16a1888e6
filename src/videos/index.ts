/** What other modules may use of videos/ (dependency-cruiser refuses deeper imports). */
export * from './video-content.module.js';
export * from './video-content.service.js';
