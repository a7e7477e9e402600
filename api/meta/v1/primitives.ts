// Scalar wire types from apimachinery, as they appear in JSON.
import { z } from 'zod';
import { parseQuantity, quantityFormatMessage } from '../../validation.js';

/** resource.Quantity: `"500m"`, `"1Gi"` or a bare number. */
export const QuantitySchema = z
  .union([z.string(), z.number()])
  .refine((q) => parseQuantity(q) !== undefined, { message: quantityFormatMessage });
export type Quantity = z.infer<typeof QuantitySchema>;

/** intstr.IntOrString: `8080` or `"http"` / `"25%"`. */
export const IntOrStringSchema = z.union([z.string(), z.number().int()]);
export type IntOrString = z.infer<typeof IntOrStringSchema>;

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** metav1.Time / metav1.MicroTime: RFC 3339 text (`2006-01-02T15:04:05Z`, fractions allowed). */
export const TimeSchema = z
  .string()
  .refine((t) => rfc3339.test(t), { message: 'must be an RFC 3339 date-time (e.g. "2006-01-02T15:04:05Z")' });
export type Time = z.infer<typeof TimeSchema>;

/** map[string]string (labels, annotations, selectors, ConfigMap data, ...). */
export const StringMapSchema = z.record(z.string(), z.string());
export type StringMap = z.infer<typeof StringMapSchema>;
