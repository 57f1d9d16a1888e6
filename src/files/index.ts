/** Uploaded input images: intake, inspection (type, size, dimensions) and storage, referenced by videos as `file_…`. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './files.env.js';
export * from './files.module.js';
export * from './files.service.js';
export * from './image-intake.service.js';
export * from './audio-intake.service.js';
