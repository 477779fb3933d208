import { z } from "zod";
import { PERMISSIONS } from "../auth/permissions";

export const ZId = z.string().min(1).max(64);
export const ZName = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N} ._@()-]+$/u, "letters, digits, space and . _ - @ ( ) only");
export const ZDescription = z.string().trim().max(200);
export const ZPermission = z.enum(PERMISSIONS);
