-- AlterTable
ALTER TABLE "NotificationDelivery" ADD COLUMN "retriedAt" DATETIME;

