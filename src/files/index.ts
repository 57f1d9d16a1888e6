/** What other modules may use of files/ (dependency-cruiser refuses deeper imports). */
export * from './files.env.js';
export * from './files.module.js';
export * from './files.service.js';
export * from './image-intake.service.js';
export * from './upload.middleware.js';
