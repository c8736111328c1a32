/**
 * The official (`public`) images as this domain lists them. The registry owns the catalog; until its
 * export is wired here the list is empty.
 */
export const PUBLIC_IMAGES: ReadonlyArray<{ tag: string; repo_id?: number; repo_name: string; image_path: string }> = [];
